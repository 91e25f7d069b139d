/**
 * An in-process model writes a tool call as one constrained JSON text, `{"name": "<tool>", "arguments":
 * {...}}` (see compileToolCall). OpenAI's clients expect `tool_calls[i].function.{name, arguments}` with
 * `arguments` a JSON string, streamed as deltas; this splits the text as it arrives: the name once its
 * string is complete, then the arguments' own text, holding back the wrapper's closing brace.
 */

/** What a piece of the text adds to the call: its name (once), and more of its arguments' text. */
export interface ToolCallDelta {
  readonly name?: string;
  readonly arguments: string;
}

/** The wrapper up to the arguments' value; the grammar writes its keys in this order. */
const PREFIX = /^\{\s*"name"\s*:\s*("(?:[^"\\]|\\.)*")\s*,\s*"arguments"\s*:\s*/;
/** What may still be the wrapper's end (whitespace and closing braces) at the end of the text so far. */
const MAYBE_END = /[\s}]*$/;

/** Splits one streamed tool call. */
export class ToolCallSplitter {
  private text = '';
  private name: string | undefined;
  private sent = 0;
  private argsStart = -1;

  /** The call's name, once its string is complete. */
  get toolName(): string | undefined {
    return this.name;
  }

  /** Adds a piece of the text; returns what it adds to the call (empty arguments while held back). */
  push(piece: string): ToolCallDelta {
    this.text += piece;
    let name: string | undefined;
    if (this.name === undefined) {
      const m = PREFIX.exec(this.text);
      if (!m) return { arguments: '' };
      name = this.name = JSON.parse(m[1]!) as string;
      this.sent = this.argsStart = m[0].length;
    }
    // Whitespace between the key and the arguments' value belongs to the wrapper, whichever piece it came in.
    if (this.sent === this.argsStart) while (this.sent < this.text.length && /\s/.test(this.text[this.sent]!)) this.sent = ++this.argsStart;
    const open = this.text.slice(this.sent);
    const held = MAYBE_END.exec(open)![0].length;
    const args = open.slice(0, open.length - held);
    this.sent += args.length;
    return name === undefined ? { arguments: args } : { name, arguments: args };
  }

  /**
   * Ends the text: returns the arguments' rest. A `complete` text drops the wrapper's closing brace; a
   * truncated one (max_tokens) gives all it has, which then does not parse.
   */
  end(complete: boolean): ToolCallDelta {
    if (this.name === undefined) return { arguments: '' };
    const rest = this.text.slice(this.sent);
    return { arguments: complete ? rest.replace(/\s*\}\s*$/, '') : rest };
  }
}
