/**
 * The one redaction table: every kind of secret nova-forensics masks, as
 * data, with the lines it was written for. `src/report/redact.ts` reads it;
 * `test/redact.test.ts` runs every sample through `redact()` and through
 * every output format, and checks that none of `secrets` survives.
 *
 * An entry matches a value two ways:
 *
 * - by its field name (`keys`), in any syntax the scanner knows: JSON
 *   `"k": "v"`, Python reprs `u'k': u'v'`, YAML `k: v`, INI `k = v`, env
 *   `K=v`, URL queries `?k=v&`, headers `K: v` (curl `-H "K: v"`), command
 *   lines `--k v`, XML `k='v'` and `<k>v</k>`. Names are compared normalised:
 *   lower case, camelCase and `-` turned into `_`, the part after the last
 *   `.` (`keystone_authtoken.password`), trailing digits dropped
 *   (`KeystoneFernetKey0`). A key matches when the name is it or ends in
 *   `_` + it (`db_password`, `X-Auth-Token`), unless `exact`;
 * - by the shape of the value wherever it stands (`shape`): a URL's
 *   `user:password@`, a PEM private key block, a Fernet or JWS token.
 *
 * Only the value is replaced, by `***kind***`; quotes, separators and
 * containers stay, so JSON stays JSON. Values that hold no secret are kept:
 * `null`, `None`, booleans, an object or list (its own fields are looked at),
 * masks others wrote (`****`, `TOKEN_REDACTED`, keystoneauth's
 * `{SHA256}…`), shell variables (`$TOKEN`).
 *
 * Samples are lines in the shape their source writes them (the provenance
 * says where that shape comes from); the secret values in them are made up.
 */

export type Shape = 'url-userinfo' | 'pem-private-key' | 'fernet-token' | 'jws-token' | 'ceph-key' | 'aws-access-key-id';

export interface SecretSample {
  text: string;
  /** Strings that must not survive redaction. */
  secrets: readonly string[];
  /** Where the shape of the line comes from. */
  source: string;
}

export interface SecretEntry {
  /** What the issue and an operator call it. */
  name: string;
  /** The mask says it: `***password***`. */
  kind: string;
  /** Normalised field names. */
  keys?: readonly string[];
  /** The name must be one of `keys`, not merely end in one. */
  exact?: boolean;
  /** The value must look like this too (a generic name such as `contents`). */
  value?: RegExp;
  /** `Authorization: Basic …`: the scheme word stays, the credentials go. */
  keepScheme?: boolean;
  shape?: Shape;
  samples: readonly SecretSample[];
}

const NOVA_API_CREATE =
  'https://github.com/openstack/nova api/openstack/wsgi.py "Action: %(action)s, calling method: %(meth)s, body: %(body)s" (DEBUG), as in a 2016 RDO nova-api.log quoted in a public Red Hat case write-up';
const KEYSTONEAUTH_REQ =
  'keystoneauth1/keystoneclient session DEBUG "REQ: curl -g -i -X … -H …" (real lines: ../shared/corpus/real/os-log-merger)';
const OSLO_OPTS = 'oslo.config log_opt_values() at service start: "group.option = value" (DEBUG oslo_service.service)';
const NOVA_CONF = 'etc/nova/nova.conf as sos collects it (nova configuration reference)';

export const SECRETS: readonly SecretEntry[] = [
  {
    name: 'adminPass',
    kind: 'password',
    keys: ['admin_pass', 'adminpass', 'new_pass'],
    samples: [
      {
        text: '2016-12-08 14:54:22.496 30085 DEBUG nova.api.openstack.wsgi [req-dbf75ad6-257d-4adf-bcb3-9bf8ad47e369 3c446ce467ce437bbe12b224adac4a27 fe50aad050494868a67d8d05d5313869 - - -] Action: \'create\', calling method: <bound method ServersController.create of <nova.api.openstack.compute.servers.ServersController object at 0x7a60e10>>, body: {"server": {"name": "vm0", "adminPass": "Xq9AdminPassSECRET", "flavorRef": "60402618-8487-49a4-ab3f-b6bab3a372b5"}} _process_stack /usr/lib/python2.7/site-packages/nova/api/openstack/wsgi.py:696',
        secrets: ['Xq9AdminPassSECRET'],
        source: NOVA_API_CREATE,
      },
      {
        text: '2024-10-02 09:30:12.250 23 DEBUG nova.api.openstack.wsgi [None req-f194cea3-b82b-466b-84cb-5d09456ebf81 2f065cf6db5d4ec3b5978ea8a01622f3 8b4e913924bb4d9da158244e308bb1c5 - - default default] Action: \'action\', calling method: <bound method AdminPasswordController.change_password of <nova.api.openstack.compute.admin_password.AdminPasswordController object at 0x7f0c2d1b5e50>>, body: {"changePassword": {"adminPass": "ChangedPassSECRET"}} _process_stack /usr/lib/python3.9/site-packages/nova/api/openstack/wsgi.py:513',
        secrets: ['ChangedPassSECRET'],
        source: `${NOVA_API_CREATE}; changePassword action body per the nova api-ref`,
      },
      {
        text: 'RESP BODY: {"server": {"security_groups": [{"name": "default"}], "OS-DCF:diskConfig": "MANUAL", "id": "6f7d53df-2e1b-4df5-9a28-c5ca4105d1b5", "adminPass": "TpmNCqwdSECRET"}}',
        secrets: ['TpmNCqwdSECRET'],
        source: 'novaclient --debug response to POST /servers (nova api-ref: the create response holds adminPass)',
      },
    ],
  },
  {
    name: 'admin_password',
    kind: 'password',
    keys: ['admin_password'],
    samples: [
      {
        text: "2018-12-27 15:20:01.112 4120 DEBUG oslo_messaging._drivers.amqpdriver [-] received message with unique_id: 3b6e2a {u'_context_user_id': u'8668aa3368c0427c98b1d1824a36f720', u'args': {u'admin_password': u'RebuildPwSECRET', u'preserve_ephemeral': False}, u'method': u'rebuild_instance'}",
        secrets: ['RebuildPwSECRET'],
        source:
          'oslo.messaging amqpdriver DEBUG of an RPC message, python 2 repr (nova compute rpcapi rebuild_instance carries admin_password)',
      },
      {
        text: 'keystone_admin_password: KollaAdminSECRET',
        secrets: ['KollaAdminSECRET'],
        source: 'kolla-ansible /etc/kolla/passwords.yml',
      },
    ],
  },
  {
    name: 'password',
    kind: 'password',
    keys: ['password', 'pass_word', 'passphrase', 'auth_password', 'chappassword'],
    samples: [
      {
        text: '2024-10-02 08:00:01.003 7 DEBUG oslo_service.service [-] placement.password             = Pl4cementSECRET log_opt_values /usr/lib/python3.9/site-packages/oslo_config/cfg.py:2609',
        secrets: ['Pl4cementSECRET'],
        source: `${OSLO_OPTS}; an option registered without secret=True`,
      },
      {
        text: '[keystone_authtoken]\nauth_type = password\nusername = nova\npassword = nova pass SECRET',
        secrets: ['nova pass SECRET'],
        source: NOVA_CONF,
      },
      {
        text: 'REQ: curl -g -i -X POST http://ctl01:5000/v3/auth/tokens -H "Content-Type: application/json" -d \'{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "nova", "domain": {"name": "Default"}, "password": "KsPwSECRET"}}}}}\'',
        secrets: ['KsPwSECRET'],
        source: `${KEYSTONEAUTH_REQ}; keystone v3 password auth body (keystone api-ref)`,
      },
      {
        text: 'REQ: curl -i http://10.12.27.29:35357/v2.0/tokens -X POST -H "User-Agent: python-neutronclient" -d \'{"auth": {"tenantName": "services", "passwordCredentials": {"username": "neutron", "password": "V2PwSECRET"}}}\'',
        secrets: ['V2PwSECRET'],
        source: 'os-log-merger nova-compute.log line 521 (neutronclient keystone v2 auth), with a value where the original says REDACTED',
      },
      {
        text: "clouds:\n  mycloud:\n    auth:\n      username: admin\n      Password: 'Clouds Yaml SECRET'",
        secrets: ['Clouds Yaml SECRET'],
        source: 'openstacksdk clouds.yaml',
      },
      {
        text: 'GET /v2.1/os-hypervisors?password=QueryPwSECRET&limit=10 HTTP/1.1',
        secrets: ['QueryPwSECRET'],
        source: 'a URL query string',
      },
    ],
  },
  {
    name: 'passwd',
    kind: 'password',
    keys: ['passwd', 'pwd', 'pswd'],
    samples: [
      {
        text: "<graphics type='vnc' port='-1' autoport='yes' listen='0.0.0.0' passwd='VncPasswdSECRET' keymap='en-us'/>",
        secrets: ['VncPasswdSECRET'],
        source: 'libvirt domain XML <graphics passwd=…> (libvirt formatdomain: graphical framebuffers)',
      },
      {
        text: "{'db_pwd': u'DbPwdSECRET', 'sys_pswd': 'SysPswdSECRET'}",
        secrets: ['DbPwdSECRET', 'SysPswdSECRET'],
        source: 'python repr of a dict (oslo.utils strutils._SANITIZE_KEYS lists sys_pswd)',
      },
    ],
  },
  {
    name: 'secret',
    kind: 'secret',
    keys: ['secret', 'credential', 'credentials'],
    samples: [
      {
        text: 'RESP BODY: {"credential": {"user_id": "0da49abca73d9eaf24fab0a6cc14c6b9", "tenant_id": "e26b4c0824854f09b13bb7ac6eb6a909", "access": "ff64589a348c4f0f8a1b2c3d4e5f6a7b", "secret": "9a8b7c6d5e4f3a2bEc2SECRET"}}',
        secrets: ['9a8b7c6d5e4f3a2bEc2SECRET', 'ff64589a348c4f0f8a1b2c3d4e5f6a7b'],
        source: 'keystoneclient DEBUG of POST /v3/users/{id}/credentials/OS-EC2 (keystone api-ref, EC2 credentials)',
      },
      {
        text: 'client_secret = OidcClientSECRET',
        secrets: ['OidcClientSECRET'],
        source: 'keystoneauth v3oidc options in a config file',
      },
    ],
  },
  {
    name: 'token',
    kind: 'token',
    keys: ['token', 'token_id'],
    samples: [
      {
        text: "{'token': 'a7c1f0e2b3d4SECRET', 'expires': '2024-10-02T10:00:00Z'}",
        secrets: ['a7c1f0e2b3d4SECRET'],
        source: 'python repr of a token dict',
      },
      {
        text: 'GET /vnc_auto.html?path=%3Ftoken%3D0b1c2d3e&token=NoVncTokenSECRET HTTP/1.1',
        secrets: ['NoVncTokenSECRET'],
        source: 'nova-novncproxy console URL (the console token is a query parameter)',
      },
    ],
  },
  {
    name: 'auth_token',
    kind: 'token',
    keys: ['auth_token'],
    samples: [
      {
        text: "{u'_context_auth_token': u'0123456789abcdefCtxSECRET', u'_context_user': u'admin'}",
        secrets: ['0123456789abcdefCtxSECRET'],
        source: 'python 2 repr of an oslo.messaging RPC context (nova, Liberty–Pike)',
      },
    ],
  },
  {
    name: 'X-Auth-Token',
    kind: 'token',
    keys: ['x_auth_token'],
    samples: [
      {
        text: 'REQ: curl -i http://10.12.27.29:9696/v2.0/floatingips.json?tenant_id=e6ed98db2fbf4e8ea3642ca9b7e2ace1 -X GET -H "X-Auth-Token: 3dcf524a3d44SECRET" -H "User-Agent: python-neutronclient"',
        secrets: ['3dcf524a3d44SECRET'],
        source: `${KEYSTONEAUTH_REQ}: os-log-merger nova-api.log line 7, another value`,
      },
      {
        text: "{'HTTP_X_AUTH_TOKEN': 'EnvironTokenSECRET', 'PATH_INFO': '/v2.1/servers'}",
        secrets: ['EnvironTokenSECRET'],
        source: 'a WSGI environ dict in a DEBUG line',
      },
    ],
  },
  {
    name: 'X-Subject-Token',
    kind: 'token',
    keys: ['x_subject_token'],
    samples: [
      {
        text: "2015-10-29 10:51:11.600 4470 DEBUG keystoneclient.session [-] RESP: [200] {'content-length': '7751', 'x-subject-token': '3dcf524aSubjectSECRET', 'vary': 'X-Auth-Token', 'connection': 'keep-alive'}",
        secrets: ['3dcf524aSubjectSECRET'],
        source: 'os-log-merger nova-api.log line 2 (keystoneclient RESP headers), another value',
      },
    ],
  },
  {
    name: 'X-Service-Token',
    kind: 'token',
    keys: ['x_service_token'],
    samples: [
      {
        text: 'REQ: curl -g -i -X GET http://ctl01:9696/v2.0/ports?device_id=b9f443a7-343a-4962-9231-68e9e6bd3206 -H "User-Agent: nova" -H "X-Auth-Token: {SHA256}47d331cb112e7ffd3549b9958f475e4a36ab4d7848770b6ca54f337a6ca9a37e" -H "X-Service-Token: ServiceTokenSECRET"',
        secrets: ['ServiceTokenSECRET'],
        source: `${KEYSTONEAUTH_REQ}; nova sends X-Service-Token with [service_user] send_service_user_token`,
      },
    ],
  },
  {
    name: 'Authorization: Bearer|Basic',
    kind: 'authorization',
    keys: ['authorization'],
    keepScheme: true,
    samples: [
      {
        text: 'Authorization: Basic dXNlcjpwYXNzU0VDUkVU',
        secrets: ['dXNlcjpwYXNzU0VDUkVU'],
        source: 'an HTTP request header (RFC 7617)',
      },
      {
        text: 'curl -s -H "Authorization: Bearer eyBearerSECRET.x" https://ctl01:8774/',
        secrets: ['eyBearerSECRET'],
        source: 'a curl command line (RFC 6750)',
      },
      {
        text: "{'Authorization': 'Basic QmFzaWNTRUNSRVQ=', 'Accept': 'application/json'}",
        secrets: ['QmFzaWNTRUNSRVQ='],
        source: 'python repr of request headers',
      },
    ],
  },
  {
    name: 'os_password / OS_PASSWORD=',
    kind: 'password',
    keys: ['os_password'],
    samples: [
      {
        text: "export OS_USERNAME=admin\nexport OS_PASSWORD='OpenRcSECRET'\nexport OS_PASSWORD=BareOpenRcSECRET",
        secrets: ['OpenRcSECRET', 'BareOpenRcSECRET'],
        source: 'an openrc file (keystone install guide)',
      },
      {
        text: 'openstack --os-password CliSECRET server list; openstack --os-password=CliEqSECRET server show vm0',
        secrets: ['CliSECRET', 'CliEqSECRET'],
        source: 'python-openstackclient command line',
      },
    ],
  },
  {
    name: 'keystone fernet and credential keys',
    kind: 'key',
    keys: ['fernet_key', 'fernetkey', 'fernet_keys', 'credential_key', 'credential_keys', 'keystone_credential', 'keystonecredential'],
    samples: [
      {
        text: 'KeystoneFernetKey0: 8VYd3Lq1ZfFernetKey0SECRET_Xq7s2bTq5n0vM4wRkA=\nKeystoneCredential1: Rk9vbGNyZWRlbnRpYWxrZXkxSECRETJ0ZXN0a2V5MDA=',
        secrets: ['8VYd3Lq1ZfFernetKey0SECRET_Xq7s2bTq5n0vM4wRkA=', 'Rk9vbGNyZWRlbnRpYWxrZXkxSECRETJ0ZXN0a2V5MDA='],
        source: 'TripleO heat parameters (passwords.yaml / plan environment)',
      },
    ],
  },
  {
    name: 'keystone Fernet tokens',
    kind: 'token',
    shape: 'fernet-token',
    samples: [
      {
        text: 'root@controller:~# openstack token issue -f value -c id\ngAAAAABcJZlJ1dBRNYO2994is9JdT7XYnL-IqcbZrkgSECRETSECRETSECRET',
        secrets: ['JZlJ1dBRNYO2994is9JdT7XYnL-IqcbZrkgSECRETSECRETSECRET'],
        source: 'the seeds: a pasted `openstack token issue`',
      },
    ],
  },
  {
    name: 'keystone JWS tokens',
    kind: 'token',
    shape: 'jws-token',
    samples: [
      {
        text: 'X-Subject-Token=eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJub3ZhIiwiU0VDUkVUIjoxfQ.c2lnbmF0dXJlU0VDUkVUc2ln in the keystone log',
        secrets: ['eyJzdWIiOiJub3ZhIiwiU0VDUkVUIjoxfQ', 'c2lnbmF0dXJlU0VDUkVUc2ln'],
        source: 'keystone [token] provider = jws (Stein and later): three base64url parts',
      },
    ],
  },
  {
    name: 'transport_url and connection URLs',
    kind: 'password',
    shape: 'url-userinfo',
    samples: [
      {
        text: 'transport_url = rabbit://openstack:pw1SECRET@ctl1:5672,openstack:pw2SECRET@ctl2:5672,openstack:pw3SECRET@ctl3:5672//',
        secrets: ['pw1SECRET', 'pw2SECRET', 'pw3SECRET'],
        source: `${NOVA_CONF} [DEFAULT] transport_url, three rabbit hosts`,
      },
      {
        text: 'connection = mysql+pymysql://nova:p@ssSECRET@db.example/nova?charset=utf8',
        secrets: ['p@ssSECRET', 'ssSECRET'],
        source: `${NOVA_CONF} [database] connection; a password holding @`,
      },
      {
        text: '| cell1 | 4a388abe-0d97-4bf7-a3b4-cf7f5f8ce6d1 | rabbit://openstack:CellRabbitSECRET@controller | mysql+pymysql://nova:CellDbSECRET@controller/nova | False |',
        secrets: ['CellRabbitSECRET', 'CellDbSECRET'],
        source: '`nova-manage cell_v2 list_cells --verbose` (without --verbose nova-manage prints ****)',
      },
      {
        text: "INSERT INTO `cell_mappings` VALUES ('2024-09-01 10:00:00',NULL,2,'4a388abe-0d97-4bf7-a3b4-cf7f5f8ce6d1','cell1','rabbit://openstack:DumpRabbitSECRET@ctl01:5672//','mysql+pymysql://nova:DumpDbSECRET@ctl01/nova',0);",
        secrets: ['DumpRabbitSECRET', 'DumpDbSECRET'],
        source: 'nova_api.cell_mappings in a mysqldump',
      },
    ],
  },
  {
    name: 'metadata_proxy_shared_secret',
    kind: 'secret',
    keys: ['metadata_proxy_shared_secret'],
    samples: [
      {
        text: '2024-10-02 08:00:01.004 7 DEBUG oslo_service.service [-] neutron.metadata_proxy_shared_secret = MetaProxySECRET log_opt_values /usr/lib/python3.9/site-packages/oslo_config/cfg.py:2609',
        secrets: ['MetaProxySECRET'],
        source: OSLO_OPTS,
      },
    ],
  },
  {
    name: 'rbd_secret_uuid',
    kind: 'secret',
    keys: ['secret_uuid'],
    samples: [
      {
        text: '[libvirt]\nimages_type = rbd\nrbd_user = nova\nrbd_secret_uuid = 457eb676-33da-42ec-9a8c-9293d545c337',
        secrets: ['457eb676-33da-42ec-9a8c-9293d545c337'],
        source: `${NOVA_CONF} [libvirt] rbd_secret_uuid (oslo.utils masks secret_uuid)`,
      },
    ],
  },
  {
    name: 'EC2/S3 access and secret keys',
    kind: 'key',
    keys: ['access_key', 'access_key_id', 'secret_key', 'secret_access_key'],
    samples: [
      {
        text: '[default]\naws_access_key_id = AKIAIOSFODNN7SECRET1\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET',
        secrets: ['AKIAIOSFODNN7SECRET1', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET'],
        source: 'an S3 credentials file (boto / awscli)',
      },
      {
        text: 's3_store_access_key = S3AccessSECRET\ns3_store_secret_key = S3SecretSECRET',
        secrets: ['S3AccessSECRET', 'S3SecretSECRET'],
        source: 'glance_store s3 options',
      },
    ],
  },
  {
    name: 'EC2 access key in a credential blob',
    kind: 'key',
    keys: ['access'],
    exact: true,
    value: /^[A-Za-z0-9]{16,}$/,
    samples: [
      {
        text: '{"blob": "{\\"access\\": \\"181920abcdef0123SECRET\\", \\"secret\\": \\"abc123SECRET\\"}", "type": "ec2"}',
        secrets: ['181920abcdef0123SECRET', 'abc123SECRET'],
        source: 'keystone credential of type ec2: its blob is JSON inside a JSON string (keystone api-ref)',
      },
    ],
  },
  {
    name: 'AWS access key ids',
    kind: 'key',
    shape: 'aws-access-key-id',
    samples: [
      {
        text: 'Signature mismatch for access key AKIAJ5SECRETEXAMPLE2 on bucket images',
        secrets: ['AKIAJ5SECRETEXAMPLE2'],
        source: 'AWS access key id format (AKIA + 16)',
      },
    ],
  },
  {
    name: 'private keys',
    kind: 'private-key',
    keys: ['private_key'],
    shape: 'pem-private-key',
    samples: [
      {
        text: 'RESP BODY: {"keypair": {"public_key": "ssh-rsa AAAAB3NzaC1yc2E nova@ctl01", "private_key": "-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEAPrivKeySECRETline1\\nPrivKeySECRETline2\\n-----END RSA PRIVATE KEY-----\\n", "user_id": "2f065cf6db5d4ec3b5978ea8a01622f3", "name": "k1"}}',
        secrets: ['PrivKeySECRETline1', 'PrivKeySECRETline2'],
        source: 'novaclient --debug response to POST /os-keypairs without a public key (nova api-ref: the response holds private_key)',
      },
      {
        text: 'Unexpected error reading key file:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUSECRETline1\nAAAAAAAAAAABAAAAMwAAAAtzc2gtZWQSECRETline2\n-----END OPENSSH PRIVATE KEY-----\nend of key',
        secrets: ['SECRETline1', 'SECRETline2'],
        source: 'an OpenSSH private key block (ssh-keygen), as a multi-line log message would hold it',
      },
    ],
  },
  {
    name: 'user_data',
    kind: 'user-data',
    keys: ['user_data', 'userdata'],
    samples: [
      {
        // base64 of "#cloud-config\nssh_keys:\n  rsa_private: |\n    -----BEGIN RSA PRIVATE KEY-----\n    MIIEoSECRET"
        text: 'body: {"server": {"name": "web-01", "imageRef": "170fafa5-1329-44a3-9c27-9bb77b77206d", "user_data": "I2Nsb3VkLWNvbmZpZwpzc2hfa2V5czoKICByc2FfcHJpdmF0ZTogfAogICAgLS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQogICAgTUlJRW9TRUNSRVQ="}}',
        secrets: [
          'I2Nsb3VkLWNvbmZpZwpzc2hfa2V5czoKICByc2FfcHJpdmF0ZTogfAogICAgLS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQogICAgTUlJRW9TRUNSRVQ=',
          'I2Nsb3Vk',
        ],
        source: `${NOVA_API_CREATE}; user_data is base64 (nova api-ref), here a cloud-config holding an ssh private key`,
      },
      {
        text: "{u'user_data': u'IyEvYmluL2Jhc2gKZWNobyBTRUNSRVQK', u'hostname': u'web-01'}",
        secrets: ['IyEvYmluL2Jhc2gKZWNobyBTRUNSRVQK'],
        source: 'python 2 repr of a build request (nova-conductor DEBUG)',
      },
    ],
  },
  {
    name: 'personality file contents',
    kind: 'file-contents',
    keys: ['contents'],
    exact: true,
    value: /^[A-Za-z0-9+/]{16,}={0,2}$/,
    samples: [
      {
        text: '"personality": [{"path": "/mnt/openstack/content/vm_init_para.ini", "contents": "W3ZtX2Jhc2VfcGFyYV0KVk5GTV9QQVNTV0QgPSBTRUNSRVQK"}], "config_drive" : "true"}',
        secrets: ['W3ZtX2Jhc2VfcGFyYV0KVk5GTV9QQVNTV0QgPSBTRUNSRVQK'],
        source: `${NOVA_API_CREATE} (personality files are base64 and held a password there)`,
      },
    ],
  },
  {
    name: 'libvirt, VNC and SPICE passwords',
    kind: 'password',
    keys: ['vnc_password', 'spice_password'],
    samples: [
      {
        text: 'vnc_password = "QemuVncSECRET"\nspice_password = "QemuSpiceSECRET"',
        secrets: ['QemuVncSECRET', 'QemuSpiceSECRET'],
        source: '/etc/libvirt/qemu.conf',
      },
      {
        text: "<graphics type='spice' port='-1' autoport='yes' passwd='SpiceXmlSECRET'>",
        secrets: ['SpiceXmlSECRET'],
        source: 'libvirt domain XML, spice graphics',
      },
    ],
  },
  {
    name: 'ceph keys',
    kind: 'key',
    keys: ['keyring'],
    shape: 'ceph-key',
    samples: [
      {
        text: '[client.nova]\n\tkey = AQBTm0JnAAAAABAAcephSECRETkey0123456789x==',
        secrets: ['AQBTm0JnAAAAABAAcephSECRETkey0123456789x=='],
        source: 'a ceph keyring (the value libvirt holds as the rbd secret)',
      },
    ],
  },
  {
    name: 'encryption and API keys',
    kind: 'key',
    keys: ['fixed_key', 'api_key', 'apikey', 'encryption_key', 'encrypted_key', 'auth_key', 'sslkey'],
    samples: [
      {
        text: '[key_manager]\nbackend = barbican\nfixed_key = 0f1e2d3c4b5a69788796a5b4c3d2e1f0FixedKeySECRET',
        secrets: ['0f1e2d3c4b5a69788796a5b4c3d2e1f0FixedKeySECRET'],
        source: `${NOVA_CONF} [key_manager] fixed_key`,
      },
    ],
  },
  {
    name: 'cookies',
    kind: 'cookie',
    keys: ['cookie'],
    samples: [
      {
        text: "{'Cookie': 'sessionid=HorizonSessionSECRET', 'Host': 'ctl01'}\nrabbitmq_cluster_cookie: RabbitCookieSECRET",
        secrets: ['HorizonSessionSECRET', 'RabbitCookieSECRET'],
        source: 'request headers in a python repr; kolla passwords.yml',
      },
    ],
  },
];

/**
 * Text that looks like a secret and is not: none of it may change. Real
 * lines where the source is given.
 */
export const LOOK_ALIKES: readonly { text: string; source: string }[] = [
  { text: 'password_length = 12', source: 'a password policy option' },
  { text: '"password_expires_at": null, "token_expiration": 3600', source: 'keystone user JSON; a token option' },
  { text: 'token_cache_time = 300', source: 'keystonemiddleware option' },
  { text: 'auth_type = password', source: 'keystoneauth option' },
  { text: 'send_service_user_token = true\nservice_token_roles_required = True', source: 'nova [service_user], keystonemiddleware' },
  {
    text: "2015-10-29 10:51:11.600 4470 DEBUG keystoneclient.session [-] RESP: [200] {'content-length': '7751', 'vary': 'X-Auth-Token', 'connection': 'keep-alive'}",
    source: 'os-log-merger nova-api.log line 2',
  },
  {
    text: 'RESP BODY: {"token": {"methods": ["password", "token"], "expires_at": "2015-10-29T15:51:04.000000Z"}}',
    source: 'os-log-merger nova-api.log line 3',
  },
  {
    text: '2025-09-18 13:15:36.330 1195397 WARNING keystonemiddleware.auth_token [req-46b61f98-8aed-4bff-9e83-75be4387a5df 076234e1df134ba692e4bc9d6fae8f60 - 6164886f24e241a2b3566f182088a727 6164886f24e241a2b3566f182088a727 -] Authorization failed for token: keystonemiddleware.auth_token._exceptions.InvalidToken: Token authorization failed',
    source: 'hotsos token_auth_failed_nova.nova-api-wsgi.log',
  },
  {
    text: '2015-11-12 09:22:02.476 3776 DEBUG nova.openstack.common.lockutils [-] Created new semaphore "neutron_admin_auth_token_lock" internal_lock /usr/lib/python2.7/site-packages/nova/openstack/common/lockutils.py:206',
    source: 'os-log-merger nova-compute.log',
  },
  {
    text: '2014-04-17 14:50:10.576 1455 TRACE nova.compute.manager [instance: 89990e3a-11fa-4c73-bb35-ce9345fbcbf2]   File "/usr/lib/python2.7/dist-packages/nova/compute/manager.py", line 1417, in _spawn\n    admin_pass=admin_password)',
    source: 'OpenStackForensics nova-compute.log (a traceback source line names the variable, not its value)',
  },
  {
    text: "2014-04-17 14:49:56.843 966 ERROR nova.scheduler.filter_scheduler [req-8ab6878b-e9a4-4ff9-b7b1-1b113d3139dd e75374ede9834b41919d07e6a311401c e7dcfe9fe2f143d29e518e41a20553cf] [instance: 89990e3a-11fa-4c73-bb35-ce9345fbcbf2] Error from last host: littlebigguy (node littlebigguy): [u'Traceback (most recent call last):\\n', u'  File \"/usr/lib/python2.7/dist-packages/nova/virt/libvirt/driver.py\", line 2084, in spawn\\n    admin_pass=admin_password)\\n']",
    source: 'OpenStackForensics nova-scheduler.log: the same source line inside a python list repr',
  },
  {
    text: '2024-10-02 09:00:00.120 7 INFO nova.compute.resource_tracker [None req-1a2b3c4d-0000-4000-8000-000000000001 - - - - - -] Compute node record created for cmp01.cloud.example:cmp01.cloud.example with uuid: 4d5c78fb-8674-4718-add2-c1a4ad3bf4e8',
    source: 'nova resource tracker (a resource provider named as its host)',
  },
  {
    text: 'Created resource provider record via placement API for resource provider with UUID b51d5650-c355-45b2-82f6-a5b93b8a9552 and name secret-token-node01.',
    source: 'nova scheduler report client, a provider whose name holds the words',
  },
  { text: '"key_name": "mykey", "public_key": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ nova@ctl01"', source: 'nova keypair JSON' },
  {
    text: 'REQ: curl -g -i -X GET http://172.31.10.216/image/v2/images -H "X-Auth-Token: {SHA256}47d331cb112e7ffd3549b9958f475e4a36ab4d7848770b6ca54f337a6ca9a37e"',
    source: 'keystoneauth REQ line: it logs a hash, not the token',
  },
  {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, as the seed writes it
    text: 'curl ${PLACEMENT_ENDPOINT}/allocations/01b6377f-5b0c-4273-a24a-921f793b3004 -H "x-auth-token: $TOKEN" -X DELETE',
    source: 'seed 000',
  },
  {
    text: '2024-10-02 08:00:01.002 7 DEBUG oslo_service.service [-] keystone_authtoken.password    = **** log_opt_values /usr/lib/python3.9/site-packages/oslo_config/cfg.py:2609',
    source: 'oslo.config masks secret options itself',
  },
  { text: 'transport_url = rabbit://ctl1:5672/', source: 'a URL without credentials' },
  { text: 'Loading extension nova.api.openstack.compute.contrib.server_password.Server_password', source: 'os-log-merger nova-api.log' },
];
