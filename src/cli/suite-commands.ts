// `verdict validate` and `verdict schema`: check a suite without starting anything, and print the
// JSON Schema of the run workflow's input (for people who start runs from the Web UI).
import { Command } from 'commander';
import { z } from 'zod';
import { runInputSchema } from '../core/run';
import { loadSuiteFile } from './suite-file';

export function validateCommand(): Command {
  return new Command('validate')
    .description('check a suite file without starting anything (exit 2 on any problem)')
    .argument('<suite>', 'suite file (YAML or JSON)')
    .action((file: string) => {
      const { suite } = loadSuiteFile(file);
      const phases = [...new Set(suite.validators.map((v) => v.phase))].join(', ');
      console.log(`${file}: ok: suite ${suite.name}, ${suite.validators.length} validator(s) in ${phases}, namespace ${suite.namespace}`);
    });
}

/** The run input's JSON Schema, generated from the same zod schema the workflow validates with. */
export const runInputJsonSchema = () => z.toJSONSchema(runInputSchema, { io: 'input', unrepresentable: 'any' });

export function schemaCommand(): Command {
  return new Command('schema').description("print the JSON Schema of the run workflow's input").action(() => {
    console.log(JSON.stringify(runInputJsonSchema(), null, 2));
  });
}
