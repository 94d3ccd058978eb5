// Each integration test gets its own namespace (see leak-check.ts, which manages it).
let current: string | undefined;

export function testNamespace(): string {
  if (!current) throw new Error('testNamespace() is only available inside an integration test');
  return current;
}

export function setTestNamespace(name: string | undefined): void {
  current = name;
}
