import test from 'ava';
import { IniParser, libvirtCpuConf } from '../parsers/nova-conf.js';
import { VirshCapabilitiesParser, VirshDominfoParser, VirshListParser } from '../parsers/virsh.js';

function feed<T extends { push(l: string): void }>(p: T, text: string): T {
  for (const l of text.split('\n')) p.push(l);
  return p;
}

test('nova.conf: sections, comments, repeats, continuation; the [libvirt] CPU options of old and new releases', (t) => {
  const ini = feed(
    new IniParser(),
    [
      '[DEFAULT]',
      '# comment',
      'debug = True',
      'transport_url = rabbit://a:b@h//',
      '',
      '[libvirt]',
      'virt_type=kvm',
      'cpu_mode = custom',
      'cpu_model = Broadwell-noTSX-IBRS',
      'cpu_model_extra_flags = pcid, +ssbd',
      '[workarounds]',
      'skip_cpu_compare_on_dest = True',
    ].join('\n'),
  );
  t.deepEqual(ini.sections.DEFAULT.debug, ['True']);
  t.deepEqual(libvirtCpuConf(ini.sections), {
    virtType: 'kvm',
    cpuMode: 'custom',
    cpuModels: ['Broadwell-noTSX-IBRS'],
    cpuModelExtraFlags: ['pcid', '+ssbd'],
    skipCpuCompareOnDest: true,
  });
  const train = feed(new IniParser(), '[libvirt]\ncpu_mode = custom\ncpu_models = Cascadelake-Server,Skylake-Server-IBRS\n');
  t.deepEqual(libvirtCpuConf(train.sections).cpuModels, ['Cascadelake-Server', 'Skylake-Server-IBRS']);
});

test('virsh list --all and dominfo as in seed 003', (t) => {
  const list = feed(
    new VirshListParser(),
    ' Id   Name                State\n------------------------------------\n 1    instance-000150f0   running\n -    instance-000150a8   shut off\n',
  );
  t.deepEqual(list.domains, [
    { id: 1, name: 'instance-000150f0', state: 'running' },
    { id: undefined, name: 'instance-000150a8', state: 'shut off' },
  ]);
  const info = feed(
    new VirshDominfoParser(),
    'Id:             -\nName:           instance-000150a8\nUUID:           b32e5792-427c-43b1-83dc-2d3e3c8d74c4\nState:          shut off\nCPU(s):         12\nMax memory:     33554432 KiB\n',
  );
  t.deepEqual(info.domain(), {
    name: 'instance-000150a8',
    id: undefined,
    state: 'shut off',
    uuid: 'b32e5792-427c-43b1-83dc-2d3e3c8d74c4',
    vcpus: 12,
    maxMemoryKiB: 33554432,
  });
});

test('virsh capabilities: the host CPU, disabled features left out', (t) => {
  const caps = feed(
    new VirshCapabilitiesParser(),
    "<capabilities>\n  <host>\n    <uuid>x</uuid>\n    <cpu>\n      <arch>x86_64</arch>\n      <model>Broadwell-noTSX-IBRS</model>\n      <vendor>Intel</vendor>\n      <topology sockets='1' dies='1' cores='12' threads='2'/>\n      <feature name='vmx'/>\n      <feature policy='disable' name='rtm'/>\n      <feature name='ssbd'/>\n    </cpu>\n  </host>\n  <guest><arch name='x86_64'><model>pc</model></arch></guest>\n</capabilities>\n",
  );
  t.deepEqual(caps.result(), {
    arch: 'x86_64',
    model: 'Broadwell-noTSX-IBRS',
    vendor: 'Intel',
    topology: { sockets: 1, cores: 12, threads: 2 },
    features: ['vmx', 'ssbd'],
  });
});
