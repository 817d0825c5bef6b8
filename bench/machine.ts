import { cpus, freemem, type as osType, release, totalmem } from "node:os";

/** What the numbers were measured on; stored with every result. */
export function describeMachine() {
  const cores = cpus();
  return {
    os: `${osType()} ${release()}`,
    cpu: cores[0]?.model ?? "unknown",
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeMemoryGiB: Math.round(freemem() / 2 ** 30),
    node: process.version,
  };
}
