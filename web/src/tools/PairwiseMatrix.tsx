/** Saaty's 1–9 scale and its reciprocals, as offered in each judgement cell. */
const scale = [9, 7, 5, 3, 2, 1, 1 / 2, 1 / 3, 1 / 5, 1 / 7, 1 / 9];
const show = (v: number): string => (v >= 1 ? String(v) : `1/${Math.round(1 / v)}`);

/** Editable AHP judgements: the upper triangle is chosen, the lower shows the reciprocals. */
export function PairwiseMatrix({ labels, upper, onChange }: { labels: readonly string[]; upper: number[][]; onChange: (next: number[][]) => void }) {
  return (
    <div className="table-scroll">
      <table className="form-table matrix">
        <thead>
          <tr>
            <th />
            {labels.map((l) => (
              <th key={l}>{l}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((rowLabel, i) => (
            <tr key={rowLabel}>
              <th>{rowLabel}</th>
              {labels.map((colLabel, j) => (
                <td key={colLabel}>
                  {i < j ? (
                    <select value={String(upper[i]![j])} aria-label={`${rowLabel} / ${colLabel}`} onChange={(e) => onChange(upper.map((r, a) => r.map((v, b) => (a === i && b === j ? Number(e.target.value) : v))))}>
                      {scale.map((v) => (
                        <option key={v} value={String(v)}>
                          {show(v)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span className="muted">{i === j ? '1' : show(1 / upper[j]![i]!)}</span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
