export default async function globalTeardown(): Promise<void> {
  globalThis.__TEST_REDIS__?.kill();
  await globalThis.__EMBEDDED_PG__?.stop();
}
