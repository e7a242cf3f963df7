/**
 * `node as-nobody.js CLI ARGS…`: drops to uid/gid 65534 with no groups, then
 * runs the CLI with ARGS, so that mode 000 files are unreadable even when the
 * tests run as root (see unprivileged.ts).
 */
const [cli, ...args] = process.argv.slice(2);
process.setgroups?.([]);
process.setgid?.(65534);
process.setuid?.(65534);
process.argv = [process.argv[0], cli, ...args];
await import(cli);
