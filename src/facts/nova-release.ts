/**
 * Which nova release wrote a database, from `services.version`: each release
 * raises SERVICE_VERSION (nova/objects/service.py), so the newest service's
 * version bounds the release from below. Remediation commands depend on it
 * (`placement audit` is Ussuri+, `heal_allocations --force` Victoria+).
 */

export interface NovaRelease {
  name: string;
  /** nova's major version: 16 = Pike. */
  major: number;
  /** What it was told from, for the report. */
  from: string;
}

/** SERVICE_VERSION at each release's .0.0 tag (git show <tag>:nova/objects/service.py). */
const RELEASES = [
  ['Mitaka', 13, 9],
  ['Newton', 14, 15],
  ['Ocata', 15, 16],
  ['Pike', 16, 22],
  ['Queens', 17, 30],
  ['Rocky', 18, 35],
  ['Stein', 19, 37],
  ['Train', 20, 40],
  ['Ussuri', 21, 51],
  ['Victoria', 22, 53],
  ['Wallaby', 23, 56],
  ['Xena', 24, 60],
  ['Yoga', 25, 61],
  ['Zed', 26, 64],
  ['Antelope', 27, 66],
  ['Bobcat', 28, 66],
  ['Caracal', 29, 67],
  ['Dalmatian', 30, 67],
  ['Epoxy', 31, 68],
  ['Flamingo', 32, 70],
] as const;

export type ReleaseName = (typeof RELEASES)[number][0];

/** The earliest release whose services report `version` (a lower bound: later releases may keep the number). */
export function releaseFromServiceVersion(version: number): NovaRelease | undefined {
  if (!Number.isInteger(version) || version <= 0) return undefined;
  const r = RELEASES.find(([, , v]) => version <= v);
  const [name, major] = r ?? RELEASES[RELEASES.length - 1];
  return { name: r ? name : `${name} or later`, major, from: `services.version ${version}` };
}

/** Is the release at least `name`? Undefined when the release is not known. */
export function atLeast(release: NovaRelease | undefined, name: ReleaseName): boolean | undefined {
  return release ? release.major >= RELEASES.find(([n]) => n === name)![1] : undefined;
}
