import { line } from './detect.js';

/**
 * A request the scheduler could place nowhere, as a 2023.1 kolla controller
 * logs it: the scheduler starting on the instance and getting no candidates,
 * placement's requestlog of the candidates query and its research context
 * finding no provider with the VCPU asked. Builds and moves share these lines;
 * only what the conductor writes after them tells one from the other.
 */
export function noCandidatesLines(o: {
  /** `YYYY-MM-DD HH:MM:SS`: the lines fall within that second. */
  at: string;
  /** The oslo context of the request, e.g. `[None req-… user project - - default default]`. */
  ctx: string;
  req: string;
  instance: string;
  /** The query's resources, URL-encoded: `DISK_GB%3A40%2CMEMORY_MB%3A4096%2CVCPU%3A8`. */
  resources: string;
  vcpus: number;
}): { scheduler: string[]; placement: string[] } {
  const venv = '/var/lib/kolla/venv/lib/python3.10/site-packages';
  return {
    scheduler: [
      line(
        `${o.at}.370`,
        28,
        'DEBUG',
        'nova.scheduler.manager',
        o.ctx,
        `Starting to schedule for instances: ['${o.instance}'] select_destinations ${venv}/nova/scheduler/manager.py:142`,
      ),
      line(
        `${o.at}.450`,
        28,
        'INFO',
        'nova.scheduler.manager',
        o.ctx,
        'Got no allocation candidates from the Placement API. This could be due to insufficient resources or a temporary occurrence as compute nodes start up.',
      ),
    ],
    placement: [
      line(
        `${o.at}.400`,
        22,
        'DEBUG',
        'placement.requestlog',
        `[${o.req} req-0a4b1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d 5c2a8d1e6f3b4a09b7c4d2e1f0a9b8c7 9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b - - default default]`,
        `Starting request: 10.0.0.11 "GET /allocation_candidates?limit=1000&resources=${o.resources}" __call__ ${venv}/placement/requestlog.py:55`,
      ),
      line(
        `${o.at}.407`,
        22,
        'DEBUG',
        'placement.objects.research_context',
        `[${o.req} req-0a4b1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d - - - - - -]`,
        `found no providers with ${o.vcpus} VCPU __init__ ${venv}/placement/objects/research_context.py:130`,
      ),
    ],
  };
}
