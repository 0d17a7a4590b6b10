/** WPC glob patterns, compiled once: `**` crosses `/`, `*` and `?` do not (the Clawsig evaluator's semantics). */

export interface Glob {
  readonly source: string;
  /** True when the pattern is `*` or `**`: it matches any value. */
  readonly any: boolean;
  /** True when the pattern has no wildcard: it matches only itself. */
  readonly literal: boolean;
  test(value: string): boolean;
}

const REGEX_SPECIAL = /[.+^${}()|[\]\\]/g;

export function compileGlob(pattern: string): Glob {
  if (pattern === "*" || pattern === "**") return { source: pattern, any: true, literal: false, test: () => true };
  if (!/[*?]/.test(pattern)) return { source: pattern, any: false, literal: true, test: (value) => value === pattern };
  let regex = "^";
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i]!;
    if (ch === "*" && pattern[i + 1] === "*") {
      regex += ".*";
      i += 2;
      // `**/` swallows its slash, as upstream does, so `**/x` also matches `x` at the root.
      if (pattern[i] === "/") i++;
    } else if (ch === "*") {
      regex += "[^/]*";
      i++;
    } else if (ch === "?") {
      regex += "[^/]";
      i++;
    } else {
      regex += ch.replace(REGEX_SPECIAL, "\\$&");
      i++;
    }
  }
  const compiled = new RegExp(`${regex}$`);
  return { source: pattern, any: false, literal: false, test: (value) => compiled.test(value) };
}
