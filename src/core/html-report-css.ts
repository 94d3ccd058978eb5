// The HTML report's style sheet, inlined in the page (it fetches nothing). Each status has a
// colour pair with enough contrast to read, and the page always says the status in words or a
// symbol too, so nothing depends on telling the colours apart.
export const reportCss = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif; color: var(--fg); background: #fff; }
h1 { font-size: 22px; margin: 0 0 12px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
h2 { font-size: 17px; margin: 28px 0 8px; }
h2 .note { font-weight: normal; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; }
pre { margin: 4px 0; padding: 8px 10px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; word-break: break-word; max-height: 32em; overflow: auto; }
.note { color: var(--muted); font-size: 12.5px; }
header.run { border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; background: var(--soft); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; word-break: break-word; }
.counts { list-style: none; display: flex; flex-wrap: wrap; gap: 10px; padding: 0; margin: 4px 0 0; }
.counts li { border: 1px solid var(--line); border-radius: 8px; padding: 6px 14px; background: #fff; min-width: 96px; }
.counts b { display: block; font-size: 24px; line-height: 1.2; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.badge.passed, .count.passed b { color: #116329; }
.badge.failed, .count.failed b { color: #a40e26; }
.badge.skipped, .count.skipped b { color: #4b535d; }
.badge.other, .count.other b { color: #7a4900; }
.badge.passed { background: #dafbe1; border-color: #aceebb; }
.badge.failed { background: #ffebe9; border-color: #ffcecb; }
.badge.skipped { background: #eef1f4; border-color: #d1d9e0; }
.badge.other { background: #fff1c2; border-color: #f5d77a; }
.badge.flaky { background: #fbefff; border-color: #ecd8f5; color: #6e2a8c; }
h1 .badge { font-size: 18px; padding: 2px 12px; }
.since { margin: 16px 0 0; }
.since ul { margin: 6px 0 0; padding-left: 20px; }
.problems { border: 1px solid #f5d77a; background: #fff8e1; border-radius: 8px; padding: 4px 20px 8px; margin-top: 16px; }
.problems h2 { margin-top: 10px; }
table { border-collapse: collapse; width: 100%; border: 1px solid var(--line); }
table.validators { table-layout: fixed; }
.col-status { width: 140px; } .col-validator { width: 170px; } .col-reason { width: 170px; }
.col-duration { width: 85px; } .col-node { width: 165px; }
td.name, td.node, td.reason { overflow-wrap: anywhere; }
.attention { margin: 12px 0 0; }
.attention a { font-weight: 600; text-decoration: none; margin-right: 2px; }
.attention a.failed { color: #a40e26; } .attention a.other { color: #7a4900; }
tbody.validator:target > tr:first-child > td { background: #ddf4ff; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-top: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.duration { white-space: nowrap; }
th.history { white-space: normal; }
td.message { min-width: 16em; word-break: break-word; }
tr.details td { border-top: 0; padding-top: 0; padding-left: 28px; }
tbody.validator.failed > tr:first-child > td:first-child { box-shadow: inset 4px 0 #cf222e; }
tbody.validator.other > tr:first-child > td:first-child { box-shadow: inset 4px 0 #d4a72c; }
summary { cursor: pointer; color: var(--muted); }
details > summary { margin: 2px 0; }
.subtests { width: auto; min-width: 50%; margin: 4px 0 8px; }
.subtests td, .subtests th { padding: 3px 10px; }
.attempts { margin: 4px 0 8px; padding-left: 20px; }
.strip { display: flex; flex-wrap: wrap; gap: 2px; }
.cell { width: 12px; height: 20px; border-radius: 3px; font-size: 12px; line-height: 20px; text-align: center; font-weight: 700; }
.cell.passed { background: #1f883d; color: #fff; }
.cell.failed { background: #cf222e; color: #fff; }
.cell.skipped { background: #c9d1d9; color: #1f2328; }
.cell.other { background: #e3b341; color: #3b2300; }
.cell.absent { background: #fff; color: var(--muted); border: 1px dashed var(--line); }
.cell.current { outline: 2px solid #0969da; outline-offset: 1px; }
.change.newly-failing { color: #a40e26; font-weight: 600; }
.change.still-failing { color: #a40e26; }
.change.fixed { color: #116329; font-weight: 600; }
.change.slower, .change.status-changed { color: #7a4900; }
.change.unchanged { color: var(--muted); }
td.status .change { white-space: nowrap; }
.legend { display: flex; gap: 14px; align-items: center; flex-wrap: wrap; margin-top: 24px; }
.legend span.cell { display: inline-block; margin-right: 4px; }
`;
