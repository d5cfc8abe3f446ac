// i18n.js — every label in Chinese and English. web/build.mjs refuses to build when the two tables
// differ in keys, or when a t('key') in the sources has no entry.
export const LANGS = { zh: '中文', en: 'EN' };
const LANG_KEY = 'warden.lang';

export const LABELS = {
  en: {
    'app.title': 'warden — compliance dashboard',
    'app.subtitle': 'compliance',
    'nav.overview': 'Overview', 'nav.cases': 'Cases', 'nav.numbers': 'Numbers', 'nav.agents': 'Agents',
    'nav.clusters': 'Associated accounts', 'nav.audit': 'Audit',
    'tz.short': 'CST', 'tz.long': 'Times in China Standard Time (UTC+8)',
    'lang.switch': 'Switch language', logout: 'Log out', loading: 'Loading…', nodata: 'Nothing to show.',
    all: 'All', filter: 'Filter', reset: 'Reset', cancel: 'Cancel', confirm: 'Confirm', required: 'Required.',
    prev: 'Previous', next: 'Next', pager: '{from}–{to} of {total}',
    'dur.dh': '{d}d {h}h', 'dur.hm': '{h}h {m}m', 'dur.m': '{m}m',

    'login.intro': 'Compliance and anti-fraud dashboard. Enter an API token to continue.',
    'login.token': 'API token', 'login.placeholder': 'paste the token', 'login.submit': 'Log in',
    'login.hint': 'A token is printed once by', 'login.refused': 'This token was refused: unknown, expired or revoked.',
    'login.expired': 'Your token is no longer accepted (expired or revoked). Please log in again.',
    'login.again': 'Log in again',

    'err.400': 'The request was not accepted.',
    'err.401': 'Not logged in, or the token was refused (expired or revoked).',
    'err.403': 'Your token\'s role or scope does not allow this.',
    'err.404': 'Not found, or outside your token\'s scope.',
    'err.409': 'Refused: the current state does not allow this.',
    'err.network': 'The warden server cannot be reached.', 'err.client': 'The page failed to show this.',
    'err.other': 'The server answered with an error (HTTP {status}).', 'err.noroute': 'No such page.',

    'overview.title': 'Overview', 'overview.since': 'Since 00:00 CST of', 'overview.findings': 'Findings since then',
    'overview.open': 'Open cases', 'overview.overdue': 'Overdue cases', 'overview.finesOutstanding': 'Fines outstanding',
    'overview.finesIssued': 'Fines issued', 'overview.finesPaid': 'Fines paid', 'overview.frozen': 'Numbers frozen / recovered',
    'overview.opened': 'Cases opened / closed since then',
    'overview.reportPlatform': 'The daily report (findings by rule, fines issued, complaints) is for platform and auditor tokens.',
    'overview.complaints': 'Complaints / unmatched',
    'overview.age': 'Case age, median / p90', 'overview.byRule': 'Findings by rule', 'overview.byState': 'Cases by state',
    'overview.byKind': 'Cases by kind', 'overview.agents': 'Agents by violations', 'overview.overdueList': 'Overdue cases',
    'overview.noOverdue': 'No case is overdue.', 'overview.allOverdue': 'All {n} overdue cases', 'overview.numbers': 'Number inventory',

    'cases.title': 'Cases', 'cases.none': 'No case matches.',
    'case.title': 'Case {id}', 'case.id': 'Case', 'case.kind': 'Kind', 'case.rules': 'Rules', 'case.subject': 'Subject',
    'case.account': 'Account', 'case.agent': 'Agent', 'case.owner': 'Owner', 'case.state': 'State', 'case.opened': 'Opened',
    'case.closed': 'Closed', 'case.age': 'Age', 'case.deadline': 'Next deadline', 'case.fine': 'Fine', 'case.outcome': 'Outcome',
    'case.parent': 'Parent case', 'case.note': 'Note', 'case.overdue': 'overdue', 'case.overdueOnly': 'Overdue only',
    'case.facts': 'Facts', 'case.actions': 'Actions', 'case.noActions': 'No action is allowed in this state.',
    'case.actionsHint': 'Every action asks for confirmation and is written to the audit log.',
    'case.platformOnly': 'Only a platform token may act on cases.',
    'case.timeline': 'Timeline', 'case.evidence': 'Evidence',
    'case.confirmTitle': '{action}: case {id}?', 'case.confirmBody': '“{action}” on the {kind} case about {subject}. This changes the registry and is audited.',
    'case.done': '{action}: done.',
    'action.arg.note': 'Note', 'action.arg.move': 'Facility to move the customers to',
    'evidence.kind': 'Kind', 'evidence.ref': 'Reference', 'evidence.detail': 'Detail', 'evidence.added': 'Added',

    'numbers.title': 'Numbers', 'numbers.byState': 'Inventory by state', 'numbers.byGrade': 'Inventory by grade',
    'numbers.none': 'No number matches.',
    'number.title': 'Number {number}', 'number.number': 'Number', 'number.state': 'State', 'number.grade': 'Grade',
    'number.kind': 'Kind', 'number.province': 'Province', 'number.account': 'Account', 'number.fee': 'Annual fee',
    'number.goto': 'Number', 'number.facts': 'Facts', 'number.history': 'History',
    'number.freeze': 'Freeze', 'number.unfreeze': 'Unfreeze', 'number.reason': 'Reason (written to the audit log)',
    'number.freezeTitle': 'Freeze {number}?', 'number.freezeBody': 'Calls to and from {number} stop until it is unfrozen.',
    'number.unfreezeTitle': 'Unfreeze {number}?', 'number.unfreezeBody': '{number} becomes active again.',
    'number.freezeDone': '{number} is frozen.', 'number.unfreezeDone': '{number} is active again.',
    'number.noActions': 'No change is possible in this state.', 'number.readOnly': 'Your token is read-only.',
    'number.stateSince': 'In this state since', 'number.landing': 'Landing number', 'number.outbound': 'Outbound display',
    'number.unfreezePlatform': 'Only a platform token may unfreeze a number.',
    yes: 'yes', no: 'no',

    'agents.title': 'Agents', 'agents.rank': '#', 'agents.none': 'No agent in your scope.',
    'agent.title': 'Agent {id}', 'agent.id': 'Agent', 'agent.name': 'Name', 'agent.parent': 'Parent', 'agent.role': 'Role',
    'agent.status': 'Status', 'agent.violations': 'Violations', 'agent.openCases': 'Open cases', 'agent.customers': 'Customers',
    'agent.fines': 'Fines outstanding', 'agent.facts': 'Facts', 'agent.casesTitle': 'Cases', 'agent.customersTitle': 'Customers',
    'agent.noCustomers': 'No customer.', 'agent.allCases': 'All {n} cases',

    'customer.title': 'Customer {id}', 'customer.id': 'Account', 'customer.name': 'Name', 'customer.status': 'Status',
    'customer.agent': 'Agent', 'customer.cases': 'Cases',
    'customer.noAgentCases': 'This customer has no agent: its cases are in the case list.',
    'customer.casesPartial': 'Only the cases among its agent\'s first 1,000 are shown.', 'customer.facts': 'Facts', 'customer.related': 'Related parties',
    'customer.role': 'Role', 'customer.partyId': 'Id', 'customer.numbers': 'Numbers', 'customer.agreements': 'Contracts', 'customer.cluster': 'cluster',
    'agreement.id': 'Contract', 'agreement.status': 'Status', 'agreement.start': 'Start', 'agreement.end': 'End', 'agreement.fee': 'Annual fee',
    'agreement.autoRenew': 'Auto-renew',

    'clusters.title': 'Associated accounts', 'clusters.account': 'Account', 'clusters.show': 'Show',
    'clusters.hint': 'Accounts are linked when they share a key (document, legal representative, phone, email, address, payment account, device, IP…) held by few enough accounts; keys are shown masked.',
    'clusters.picture': 'Cluster of {account}', 'clusters.members': 'Members and keys', 'clusters.member': 'Account',
    'clusters.kindCol': 'Kind', 'clusters.entity': 'entity (not an account)', 'clusters.accountKind': 'account',
    'clusters.keys': 'Keys (masked)', 'clusters.associates': 'Associates',
    'clusters.linking': 'links · {n} holders', 'clusters.notLinking': 'links nothing · {n} holders',
    'clusters.hidden': '{n} members outside your token\'s scope are not shown.', 'clusters.legendEntity': 'entity (equity holder)',
    'clusters.associate': 'Associate', 'clusters.chain': 'Chain of shared keys', 'clusters.noAssociates': 'No associate.',
    'clusters.legendAccount': 'account', 'clusters.legendSelf': 'this account', 'clusters.legendKey': 'shared key',
    'clusters.legendHub': 'key held too widely (a hub): links nothing', 'clusters.truncated': 'Only the first {n} members are drawn.',

    'audit.title': 'Audit', 'audit.chain': 'Chain status', 'audit.ok': 'The audit chain is intact.',
    'audit.bad': 'The audit chain is broken.', 'audit.entries': '{n} entries', 'audit.firstBad': 'First bad entry: #{seq}',
    'audit.head': 'Head hash', 'audit.latest': 'Latest entries', 'audit.subject': 'Subject', 'audit.subjectCol': 'Subject',
    'audit.seq': '#', 'audit.at': 'Time', 'audit.actor': 'Actor', 'audit.action': 'Action', 'audit.detail': 'Detail',

    'state.review': 'review', 'state.rectifying': 'rectifying', 'state.penalty': 'penalty', 'state.fined': 'fined',
    'state.referral': 'referral', 'state.shut': 'shut', 'state.awaiting-docs': 'awaiting documents', 'state.warned': 'warned',
    'state.probation': 'probation', 'state.moving': 'moving', 'state.criticism': 'criticism', 'state.warning': 'warning',
    'state.interruption': 'interruption', 'state.termination': 'termination', 'state.reporting': 'reporting',
    'state.inspection': 'inspection', 'state.closed': 'closed', 'state.open': 'open (every state but closed)', 'state.opening': 'opening',
    'action.confirm': 'Confirm', 'action.dismiss': 'Dismiss', 'action.verify': 'Verify rectification', 'action.notice': 'Penalty notice',
    'action.pay': 'Record payment', 'action.refer': 'Refer to public security', 'action.restore': 'Restore',
    'action.docs-fixed': 'Documents fixed', 'action.warn': 'Warn', 'action.undertake': 'Undertaking signed',
    'action.remove': 'Server removed', 'action.move': 'Move customers', 'action.escalate': 'Escalate', 'action.close': 'Close',
    'action.report': 'Reported', 'action.release': 'Release', 'action.terminate': 'Terminate', 'action.note': 'Add a note',
    'action.uphold': 'Uphold the shutdown',
    'event.opened': 'opened', 'event.action': 'action', 'event.tick': 'deadline passed', 'event.evidence': 'evidence added',
    'event.note': 'note', 'event.state': 'state changed', 'event.overdue': 'overdue', 'event.closed': 'closed',
    'outcome.dismissed': 'dismissed', 'outcome.docs-in-order': 'documents in order', 'outcome.paid': 'fine paid',
    'outcome.rectified': 'rectified', 'outcome.referred': 'referred to public security', 'outcome.refunded': 'margin refunded',
    'outcome.released': 'released', 'outcome.removed': 'server removed', 'outcome.reported': 'reported',
    'outcome.restored': 'restored', 'outcome.served': 'measure served', 'outcome.shut': 'shut down',
    'outcome.taken-back': 'numbers taken back', 'outcome.terminated': 'terminated', 'outcome.upheld': 'shutdown upheld',
    'nstate.available': 'available', 'nstate.reserved': 'reserved', 'nstate.active': 'active', 'nstate.frozen': 'frozen',
    'nstate.recovered': 'recovered', 'nstate.cancelled': 'cancelled',
    'grade.AAAAA': 'AAAAA', 'grade.AAAA': 'AAAA', 'grade.ABCDE': 'ABCDE', 'grade.AAA': 'AAA', 'grade.ABCD': 'ABCD',
    'grade.DCBA': 'DCBA', 'grade.AABB': 'AABB', 'grade.ABAB': 'ABAB', 'grade.LUCKY': 'lucky', 'grade.ORDINARY': 'ordinary',
    'nkind.400': '400', 'nkind.800': '800', 'nkind.fixed': 'fixed line', 'nkind.mobile': 'mobile',
    'role.platform': 'platform', 'role.auditor': 'auditor', 'role.distributor': 'distributor', 'role.reseller': 'reseller',
    'role.agent': 'agent', 'role.customer': 'customer', 'role.party': 'party',
    'astate.active': 'active', 'astate.inspection': 'under inspection', 'astate.suspended': 'suspended',
    'astate.closed': 'closed', 'astate.exited': 'exited', 'astate.frozen': 'frozen', 'astate.terminated': 'terminated',
    'subjectKind.number': 'number', 'subjectKind.customer': 'customer', 'subjectKind.agent': 'agent',
    'subjectKind.resource': 'resource', 'subjectKind.facility': 'facility', 'subjectKind.account': 'account',
    'keytype.doc': 'document', 'keytype.phone': 'phone', 'keytype.email': 'email', 'keytype.domain_holder': 'domain holder',
    'keytype.payment': 'payment account', 'keytype.device': 'device', 'keytype.ip': 'IP', 'keytype.address': 'address',
    'keytype.legal_rep': 'legal representative', 'keytype.contact': 'contact', 'keytype.executive': 'executive',
    'cstate.active': 'active', 'cstate.ended': 'ended', 'cstate.terminated': 'terminated',
  },
  zh: {
    'app.title': 'warden — 合规看板',
    'app.subtitle': '合规',
    'nav.overview': '概览', 'nav.cases': '案件', 'nav.numbers': '号码', 'nav.agents': '代理商',
    'nav.clusters': '关联账户', 'nav.audit': '审计',
    'tz.short': '北京时间', 'tz.long': '时间均为中国标准时间（UTC+8）',
    'lang.switch': '切换语言', logout: '退出', loading: '加载中…', nodata: '暂无数据。',
    all: '全部', filter: '筛选', reset: '重置', cancel: '取消', confirm: '确认', required: '必填。',
    prev: '上一页', next: '下一页', pager: '第 {from}–{to} 条，共 {total} 条',
    'dur.dh': '{d}天{h}小时', 'dur.hm': '{h}小时{m}分', 'dur.m': '{m}分钟',

    'login.intro': '合规与反欺诈看板。请输入 API 令牌。',
    'login.token': 'API 令牌', 'login.placeholder': '粘贴令牌', 'login.submit': '登录',
    'login.hint': '令牌仅显示一次，由此命令生成：', 'login.refused': '令牌被拒绝：未知、已过期或已吊销。',
    'login.expired': '令牌已失效（过期或吊销），请重新登录。',
    'login.again': '重新登录',

    'err.400': '请求未被接受。',
    'err.401': '未登录，或令牌被拒绝（已过期或已吊销）。',
    'err.403': '令牌的角色或范围不允许此操作。',
    'err.404': '未找到，或不在令牌的范围内。',
    'err.409': '已拒绝：当前状态不允许此操作。',
    'err.network': '无法连接 warden 服务器。', 'err.client': '页面无法显示此内容。',
    'err.other': '服务器返回错误（HTTP {status}）。', 'err.noroute': '没有这个页面。',

    'overview.title': '概览', 'overview.since': '起始日期（北京时间 0 点）', 'overview.findings': '此后的发现',
    'overview.open': '未结案件', 'overview.overdue': '逾期案件', 'overview.finesOutstanding': '未缴罚款',
    'overview.finesIssued': '已开罚款', 'overview.finesPaid': '已缴罚款', 'overview.frozen': '冻结 / 回收号码',
    'overview.opened': '此后立案 / 结案',
    'overview.reportPlatform': '日报（按规则的发现、罚款、投诉）仅对平台和审计令牌开放。',
    'overview.complaints': '投诉 / 未匹配',
    'overview.age': '案件时长 中位数 / p90', 'overview.byRule': '按规则的发现', 'overview.byState': '按状态的案件',
    'overview.byKind': '按类别的案件', 'overview.agents': '代理商违规排名', 'overview.overdueList': '逾期案件',
    'overview.noOverdue': '没有逾期案件。', 'overview.allOverdue': '全部 {n} 个逾期案件', 'overview.numbers': '号码库存',

    'cases.title': '案件', 'cases.none': '没有符合条件的案件。',
    'case.title': '案件 {id}', 'case.id': '案件', 'case.kind': '类别', 'case.rules': '规则', 'case.subject': '对象',
    'case.account': '账户', 'case.agent': '代理商', 'case.owner': '负责人', 'case.state': '状态', 'case.opened': '立案时间',
    'case.closed': '结案时间', 'case.age': '时长', 'case.deadline': '下一期限', 'case.fine': '罚款', 'case.outcome': '结果',
    'case.parent': '上级案件', 'case.note': '备注', 'case.overdue': '逾期', 'case.overdueOnly': '仅逾期',
    'case.facts': '基本信息', 'case.actions': '操作', 'case.noActions': '当前状态不允许任何操作。',
    'case.actionsHint': '每项操作都需确认，并写入审计日志。',
    'case.platformOnly': '只有平台令牌可以处置案件。',
    'case.timeline': '时间线', 'case.evidence': '证据',
    'case.confirmTitle': '对案件 {id} 执行“{action}”？', 'case.confirmBody': '对关于 {subject} 的 {kind} 案件执行“{action}”。此操作会修改登记库并被审计。',
    'case.done': '“{action}”已完成。',
    'action.arg.note': '备注', 'action.arg.move': '迁入的机房',
    'evidence.kind': '类型', 'evidence.ref': '引用', 'evidence.detail': '详情', 'evidence.added': '添加时间',

    'numbers.title': '号码', 'numbers.byState': '按状态的库存', 'numbers.byGrade': '按等级的库存',
    'numbers.none': '没有符合条件的号码。',
    'number.title': '号码 {number}', 'number.number': '号码', 'number.state': '状态', 'number.grade': '等级',
    'number.kind': '类型', 'number.province': '省份', 'number.account': '账户', 'number.fee': '年费',
    'number.goto': '号码', 'number.facts': '基本信息', 'number.history': '历史',
    'number.freeze': '冻结', 'number.unfreeze': '解冻', 'number.reason': '原因（写入审计日志）',
    'number.freezeTitle': '冻结 {number}？', 'number.freezeBody': '{number} 的呼入呼出将停止，直到解冻。',
    'number.unfreezeTitle': '解冻 {number}？', 'number.unfreezeBody': '{number} 将恢复使用。',
    'number.freezeDone': '{number} 已冻结。', 'number.unfreezeDone': '{number} 已恢复使用。',
    'number.noActions': '当前状态不可变更。', 'number.readOnly': '您的令牌为只读。',
    'number.stateSince': '进入此状态', 'number.landing': '落地号码', 'number.outbound': '外显',
    'number.unfreezePlatform': '只有平台令牌可以解冻号码。',
    yes: '是', no: '否',

    'agents.title': '代理商', 'agents.rank': '排名', 'agents.none': '您的范围内没有代理商。',
    'agent.title': '代理商 {id}', 'agent.id': '代理商', 'agent.name': '名称', 'agent.parent': '上级', 'agent.role': '角色',
    'agent.status': '状态', 'agent.violations': '违规次数', 'agent.openCases': '未结案件', 'agent.customers': '客户数',
    'agent.fines': '未缴罚款', 'agent.facts': '基本信息', 'agent.casesTitle': '案件', 'agent.customersTitle': '客户',
    'agent.noCustomers': '没有客户。', 'agent.allCases': '全部 {n} 个案件',

    'customer.title': '客户 {id}', 'customer.id': '账户', 'customer.name': '名称', 'customer.status': '状态',
    'customer.agent': '代理商', 'customer.cases': '案件',
    'customer.noAgentCases': '该客户没有代理商：其案件见案件列表。',
    'customer.casesPartial': '仅显示其代理商前 1000 个案件中的相关案件。', 'customer.facts': '基本信息', 'customer.related': '相关方',
    'customer.role': '角色', 'customer.partyId': '编号', 'customer.numbers': '号码', 'customer.agreements': '合同', 'customer.cluster': '关联图',
    'agreement.id': '合同', 'agreement.status': '状态', 'agreement.start': '开始', 'agreement.end': '结束', 'agreement.fee': '年费',
    'agreement.autoRenew': '自动续约',

    'clusters.title': '关联账户', 'clusters.account': '账户', 'clusters.show': '查看',
    'clusters.hint': '共用同一要素（证件、法定代表人、电话、邮箱、地址、支付账户、设备、IP 等）且持有者不过多的账户相互关联；要素已脱敏显示。',
    'clusters.picture': '{account} 的关联群', 'clusters.members': '成员与要素', 'clusters.member': '账户',
    'clusters.kindCol': '类型', 'clusters.entity': '主体（非账户）', 'clusters.accountKind': '账户',
    'clusters.keys': '要素（已脱敏）', 'clusters.associates': '关联账户',
    'clusters.linking': '构成关联 · {n} 个持有者', 'clusters.notLinking': '不构成关联 · {n} 个持有者',
    'clusters.hidden': '{n} 个成员不在令牌范围内，未显示。', 'clusters.legendEntity': '主体（股权持有者）',
    'clusters.associate': '关联账户', 'clusters.chain': '共用要素链', 'clusters.noAssociates': '没有关联账户。',
    'clusters.legendAccount': '账户', 'clusters.legendSelf': '本账户', 'clusters.legendKey': '共用要素',
    'clusters.legendHub': '持有者过多的枢纽要素：不构成关联', 'clusters.truncated': '仅绘制前 {n} 个成员。',

    'audit.title': '审计', 'audit.chain': '审计链状态', 'audit.ok': '审计链完整。',
    'audit.bad': '审计链已损坏。', 'audit.entries': '共 {n} 条', 'audit.firstBad': '第一条异常记录：#{seq}',
    'audit.head': '链头哈希', 'audit.latest': '最新记录', 'audit.subject': '对象', 'audit.subjectCol': '对象',
    'audit.seq': '序号', 'audit.at': '时间', 'audit.actor': '操作人', 'audit.action': '动作', 'audit.detail': '详情',

    'state.review': '待审核', 'state.rectifying': '整改中', 'state.penalty': '处罚中', 'state.fined': '已罚款',
    'state.referral': '移送中', 'state.shut': '已关停', 'state.awaiting-docs': '待补证件', 'state.warned': '已警告',
    'state.probation': '观察期', 'state.moving': '迁移中', 'state.criticism': '批评', 'state.warning': '警告',
    'state.interruption': '中断', 'state.termination': '终止', 'state.reporting': '待上报',
    'state.inspection': '核查中', 'state.closed': '已结案', 'state.open': '未结（除已结案外的所有状态）', 'state.opening': '立案中',
    'action.confirm': '确认', 'action.dismiss': '驳回', 'action.verify': '验收整改', 'action.notice': '处罚通知',
    'action.pay': '登记缴款', 'action.refer': '移送公安', 'action.restore': '恢复',
    'action.docs-fixed': '证件已补正', 'action.warn': '警告', 'action.undertake': '已签承诺书',
    'action.remove': '服务器已移除', 'action.move': '迁移客户', 'action.escalate': '升级处置', 'action.close': '结案',
    'action.report': '已上报', 'action.release': '解除', 'action.terminate': '终止', 'action.note': '添加备注',
    'action.uphold': '维持关停',
    'event.opened': '立案', 'event.action': '操作', 'event.tick': '期限届满', 'event.evidence': '补充证据',
    'event.note': '备注', 'event.state': '状态变更', 'event.overdue': '逾期', 'event.closed': '结案',
    'outcome.dismissed': '已驳回', 'outcome.docs-in-order': '证件齐全', 'outcome.paid': '罚款已缴',
    'outcome.rectified': '已整改', 'outcome.referred': '已移送公安', 'outcome.refunded': '保证金已退还',
    'outcome.released': '已解除', 'outcome.removed': '服务器已移除', 'outcome.reported': '已上报',
    'outcome.restored': '已恢复', 'outcome.served': '处置已执行', 'outcome.shut': '已关停',
    'outcome.taken-back': '号码已收回', 'outcome.terminated': '已终止', 'outcome.upheld': '维持关停',
    'nstate.available': '可用', 'nstate.reserved': '已预留', 'nstate.active': '使用中', 'nstate.frozen': '已冻结',
    'nstate.recovered': '已回收', 'nstate.cancelled': '已注销',
    'grade.AAAAA': 'AAAAA', 'grade.AAAA': 'AAAA', 'grade.ABCDE': 'ABCDE', 'grade.AAA': 'AAA', 'grade.ABCD': 'ABCD',
    'grade.DCBA': 'DCBA', 'grade.AABB': 'AABB', 'grade.ABAB': 'ABAB', 'grade.LUCKY': '吉祥号', 'grade.ORDINARY': '普通号',
    'nkind.400': '400', 'nkind.800': '800', 'nkind.fixed': '固话', 'nkind.mobile': '手机',
    'role.platform': '平台', 'role.auditor': '审计员', 'role.distributor': '总经销', 'role.reseller': '代理商',
    'role.agent': '代理商', 'role.customer': '客户', 'role.party': '主体',
    'astate.active': '正常', 'astate.inspection': '核查中', 'astate.suspended': '已暂停',
    'astate.closed': '已关闭', 'astate.exited': '已退出', 'astate.frozen': '已冻结', 'astate.terminated': '已终止',
    'subjectKind.number': '号码', 'subjectKind.customer': '客户', 'subjectKind.agent': '代理商',
    'subjectKind.resource': '资源', 'subjectKind.facility': '机房', 'subjectKind.account': '账户',
    'keytype.doc': '证件', 'keytype.phone': '电话', 'keytype.email': '邮箱', 'keytype.domain_holder': '域名持有者',
    'keytype.payment': '支付账户', 'keytype.device': '设备', 'keytype.ip': 'IP', 'keytype.address': '地址',
    'keytype.legal_rep': '法定代表人', 'keytype.contact': '联系人', 'keytype.executive': '高管',
    'cstate.active': '有效', 'cstate.ended': '已到期', 'cstate.terminated': '已终止',
  },
};

let current = null;

export function lang() {
  if (!current) {
    let saved = null;
    try { saved = localStorage.getItem(LANG_KEY); } catch { /* storage may be off */ }
    current = saved in LABELS ? saved : (String(navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en');
  }
  return current;
}

export function setLang(l) {
  if (!(l in LABELS)) return;
  current = l;
  try { localStorage.setItem(LANG_KEY, l); } catch { /* storage may be off */ }
}

export function has(key) {
  return key in LABELS[lang()];
}

// t('case.title', {id: 7}) -> "Case 7". A missing key shows itself (the build prevents that).
export function t(key, vars) {
  let s = LABELS[lang()][key];
  if (s === undefined) s = LABELS.en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}
