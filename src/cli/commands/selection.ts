import { UsageError, type Command, type CommandGroup } from '../command.js';
import { selectionRoutes } from '../../shared/contract/strategy/selection.js';
import { adminApiFlags, callApi, printRows, stringFlag } from './admin-api.js';
import { enumFlag, jsonFlag, listFlag, numberFlag, pairsFlag, printJson } from './strategy-flags.js';

const listCriteria: Command = {
  name: 'criteria',
  summary: 'List the selection criteria (in matrix order).',
  flags: adminApiFlags,
  async run(ctx) {
    const res = await callApi(ctx, selectionRoutes.listCriteria);
    printRows(ctx, res, res.data, ['id', 'name', 'kind', 'position']);
  },
};

const addCriterion: Command = {
  name: 'add-criterion',
  summary: 'Add a criterion partners are scored on.',
  args: [{ name: 'name', doc: 'Criterion name (unique).' }],
  flags: {
    ...adminApiFlags,
    kind: { type: 'string', doc: 'benefit (more is better, default) or cost.', placeholder: 'KIND' },
    position: { type: 'string', doc: 'Order in the pairwise matrix.', placeholder: 'N' },
  },
  async run(ctx) {
    const row = await callApi(ctx, selectionRoutes.createCriterion, { body: { name: ctx.positionals[0]!, kind: enumFlag<'benefit' | 'cost'>(ctx.flags, 'kind') ?? 'benefit', position: numberFlag(ctx.flags, 'position') } });
    printRows(ctx, row, [row], ['id', 'name', 'kind', 'position']);
  },
};

const listCandidates: Command = {
  name: 'candidates',
  summary: 'List partner candidates with their scores.',
  flags: adminApiFlags,
  async run(ctx) {
    const res = await callApi(ctx, selectionRoutes.listCandidates);
    printRows(ctx, res, res.data.map((c) => ({ ...c, scores: Object.entries(c.scores).map(([k, v]) => `${k}=${v}`).join(' ') })), ['id', 'name', 'status', 'partnerId', 'scores']);
  },
};

const addCandidate: Command = {
  name: 'add-candidate',
  summary: 'Add a partner candidate with its scores.',
  args: [{ name: 'name', doc: 'Candidate name (unique).' }],
  flags: {
    ...adminApiFlags,
    partner: { type: 'string', doc: 'The existing partner it is.', placeholder: 'ID' },
    score: { type: 'string', multiple: true, doc: 'A score, CRITERION_ID=NUMBER (repeat).', placeholder: 'ID=N' },
  },
  async run(ctx) {
    const row = await callApi(ctx, selectionRoutes.createCandidate, { body: { name: ctx.positionals[0]!, partnerId: stringFlag(ctx.flags, 'partner'), scores: pairsFlag(ctx.flags, 'score') } });
    printRows(ctx, row, [row], ['id', 'name', 'status']);
  },
};

const rankCandidates: Command = {
  name: 'rank',
  summary: 'AHP weights from a pairwise matrix, TOPSIS ranking of the candidates, and sensitivity.',
  flags: {
    ...adminApiFlags,
    matrix: { type: 'string', doc: 'Pairwise matrix as JSON over the criteria in order, e.g. [[1,3],[0.3333,1]].', placeholder: 'JSON' },
    'matrix-id': { type: 'string', doc: 'A saved matrix instead.', placeholder: 'ID' },
    candidate: { type: 'string', multiple: true, doc: 'Only these candidates.', placeholder: 'ID' },
  },
  async run(ctx) {
    // The server checks the matrix's shape (QD_INVALID_REQUEST, or QD_AHP_INVALID_MATRIX).
    const matrix = jsonFlag(ctx.flags, 'matrix') as number[][] | undefined;
    const matrixId = stringFlag(ctx.flags, 'matrix-id');
    if ((matrix === undefined) === (matrixId === undefined)) throw new UsageError('give exactly one of --matrix JSON and --matrix-id ID');
    const candidateIds = listFlag(ctx.flags, 'candidate');
    const res = await callApi(ctx, selectionRoutes.rankCandidates, { body: { matrix, matrixId, candidateIds: candidateIds.length ? candidateIds : undefined } });
    if (ctx.flags.json) return printJson(ctx, res);
    ctx.out(`AHP weights (CR ${res.ahp.consistencyRatio.toFixed(3)}): ${res.criteria.map((c) => `${c.name} ${c.weight.toFixed(3)}`).join(', ')}`);
    const name = new Map(res.candidates.map((c) => [c.id, c.name]));
    const closeness = new Map(res.topsis.alternatives.map((a) => [a.id, a.closenessToIdeal]));
    printRows(ctx, res, res.topsis.ranking.map((r) => ({ rank: r.rank, name: name.get(r.id), closeness: closeness.get(r.id)!.toFixed(4) })), ['rank', 'name', 'closeness']);
    ctx.out(`most critical: ${JSON.stringify(res.sensitivity.mostCritical)}`);
  },
};

/** `qudao selection criteria|add-criterion|candidates|add-candidate|rank` (through the running server's /api). */
export const selectionCommand: CommandGroup = {
  name: 'selection',
  summary: 'Partner selection: criteria, candidates, AHP → TOPSIS ranking (合作伙伴选择).',
  commands: [listCriteria, addCriterion, listCandidates, addCandidate, rankCandidates],
};
