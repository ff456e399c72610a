// Every string of the console, in English and Chinese, from this one table. The language is
// the browser's unless the agent picked one (kept in localStorage).
const STRINGS = {
  en: {
    title: "Tributary console", signIn: "Sign in", email: "Email", password: "Password", totp: "Code (if enabled)",
    signOut: "Sign out", language: "Language", signInFailed: "Sign-in failed: {reason}",
    views: "Views", mine: "Mine", unassigned: "Unassigned", team: "My teams", all: "All", tickets: "Tickets",
    queues: "Queues", agents: "Agents", breaches: "SLA breaches",
    filters: "Filters", status: "Status", channel: "Channel", label: "Label", priority: "Priority", sla: "SLA",
    any: "Any", breached: "Breached", dueSoon: "Due soon", conversations: "Conversations",
    noConversations: "Nothing here.", selectConversation: "Pick a conversation on the left, or press j.",
    waiting: "waiting {time}", unread: "{n} unread", live: "Live", reconnecting: "Reconnecting…",
    timeline: "Timeline", loadOlder: "Older events", customer: "Customer", identities: "Identities",
    attributes: "Attributes", conflict: "conflict", verified: "verified", unverified: "not verified", firstSeen: "first seen {time}",
    otherConversations: "Conversations", orders: "Orders", noOrders: "No orders.", proposals: "Merge proposals",
    accept: "Accept", reject: "Reject", merges: "Merges", undo: "Undo", undone: "undone",
    merged: "Merged customer {absorbed} into {survivor} ({rule})", unmerged: "Merge of customer {absorbed} undone",
    reply: "Reply", note: "Private note", send: "Send", sendNote: "Add note", replyOn: "Reply on",
    composer: "Message", notePlaceholder: "A note only colleagues see", replyPlaceholder: "Write a reply (/ for canned responses)",
    chars: "{n} characters", maxChars: "{n} / {max} characters", segments: "{n} SMS segments ({encoding})",
    windowOpen: "Reply window open until {time}", repliesLeft: "{n} replies left", optedOut: "The customer opted out on this channel",
    mailSubject: "Subject: {subject}", cc: "Cc", invalidCc: "A Cc address is not an e-mail address",
    tooLong: "Too long for {channel}: {n} of {max} characters", refused: "{channel} would refuse this: {reason}",
    sendFailed: "Not sent: {reason}", sent: "Sent", draftSaved: "Draft saved", canned: "Canned responses", noCanned: "No canned responses.",
    assist: "Assist", suggestions: "Knowledge base", botDraft: "Bot's draft", insert: "Insert", noSuggestions: "No suggestion.",
    handoff: "Hand-off", actions: "Actions", assign: "Assign to me", claimNext: "Claim next", transfer: "Transfer",
    transferTo: "Transfer to", snooze: "Snooze 1 h", pending: "Pending", resolve: "Resolve", reopen: "Reopen",
    labels: "Labels", addLabel: "Add a label", followUp: "Follow-up", setFollowUp: "Set follow-up", ticket: "Ticket",
    ticketFields: "Ticket fields", save: "Save", createTicket: "Open a ticket", otherReplying: "{names} replying…",
    otherViewing: "{names} viewing", overwriteWarning: "{names} is replying too. Send anyway?",
    keyboard: "Keyboard shortcuts", keyNext: "next conversation", keyPrev: "previous conversation", keyReply: "reply",
    keyNote: "note", keyResolve: "resolve", keyCanned: "canned responses", keyHelp: "this help", keySend: "send from the composer",
    close: "Close", queue: "Queue", teamName: "Team", waitingCount: "Waiting", longestWait: "Longest wait", estimate: "Estimate",
    presence: "Presence", load: "Load", role: "Role", online: "online", away: "away", offline: "offline",
    noBreaches: "No breached tickets.", target: "Target", due: "Due", remaining: "{time} left", overdue: "{time} over",
    paused: "paused", met: "met", intent: "intent", sentiment: "sentiment",
    bot: "Bot", agent: "Agent", system: "Hub", customerRole: "Customer", attachment: "Attachment",
    statusSent: "sent", statusDelivered: "delivered", statusRead: "read", statusFailed: "failed", statusPending: "sending",
    error: "Something went wrong: {reason}", forbidden: "You may not do that.", loading: "Loading…",
    skip: "Skip to the conversation",
    reports: "Reports", range: "Range", today: "Today", days7: "Last 7 days", days30: "Last 30 days", days90: "Last 90 days",
    businessTime: "Business hours", updatedAt: "Updated {time}", messagesIn: "Messages in", messagesOut: "Messages out",
    firstResponseMedian: "First response (median)", resolutionMedian: "Resolution (median)", containment: "Bot containment",
    slaMet: "SLA met", slaTargetsMet: "Met", csat: "CSAT", backlogNow: "Backlog now", groupBy: "Group by", dimension_channel: "channel", dimension_queue: "queue", dimension_team: "team",
    dimension_intent: "intent", volumeBy: "Volume by {dimension}",
    conversationsByDay: "New conversations by day", day: "Day", firstResponseBy: "First response time by {dimension}",
    firstResponseBusinessBy: "First response time by {dimension} (business hours)", average: "average", allGroups: "All",
    percentileNote: "{n} first responses; percentiles are exact to their histogram bucket.",
    botBy: "Bot conversations by {dimension}", contained: "Contained", handedOff: "Handed off", inProgress: "With the bot",
    containmentNote: "Contained {contained}, handed off {handoff}; {answers} bot answers.",
    slaByDay: "SLA targets met and breached by day", csatByDay: "Survey answers by day",
    csatNote: "Response rate {rate} of {surveys} surveys; average score {score}.", goodAnswers: "Good (4–5)", otherAnswers: "Other",
    backlogByChannel: "Backlog now by channel", backlogBy: "Backlog now by {dimension}", backlog_bot: "With the bot", backlog_queued: "Queued", backlog_open: "Open",
    backlog_pending: "Pending", backlog_snoozed: "Snoozed", agentsReport: "Agents", replies: "Replies",
    firstResponses: "First responses", avgFirstResponse: "Avg first response", resolved: "Resolved", openNow: "Open now",
    occupancy: "Occupancy (while online)", occupancyNow: "Occupancy now", noneGroup: "(none)", figures: "Figures", noData: "No data in this range.",
    notifications: "Notifications", noNotifications: "No notifications.",
  },
  zh: {
    title: "Tributary 客服台", signIn: "登录", email: "邮箱", password: "密码", totp: "动态码（如已开启）",
    signOut: "退出", language: "语言", signInFailed: "登录失败：{reason}",
    views: "视图", mine: "我的", unassigned: "未分配", team: "我的组", all: "全部", tickets: "工单",
    queues: "队列", agents: "客服", breaches: "SLA 超时",
    filters: "筛选", status: "状态", channel: "渠道", label: "标签", priority: "优先级", sla: "SLA",
    any: "不限", breached: "已超时", dueSoon: "即将到期", conversations: "会话",
    noConversations: "暂无会话。", selectConversation: "从左侧选择会话，或按 j。",
    waiting: "已等待 {time}", unread: "{n} 条未读", live: "实时", reconnecting: "正在重连…",
    timeline: "时间线", loadOlder: "更早的记录", customer: "客户", identities: "身份",
    attributes: "属性", conflict: "冲突", verified: "已验证", unverified: "未验证", firstSeen: "首次出现 {time}",
    otherConversations: "会话", orders: "订单", noOrders: "没有订单。", proposals: "合并建议",
    accept: "接受", reject: "拒绝", merges: "合并记录", undo: "撤销", undone: "已撤销",
    merged: "客户 {absorbed} 已合并到 {survivor}（{rule}）", unmerged: "已撤销客户 {absorbed} 的合并",
    reply: "回复", note: "内部备注", send: "发送", sendNote: "添加备注", replyOn: "回复渠道",
    composer: "消息", notePlaceholder: "仅同事可见的备注", replyPlaceholder: "输入回复（/ 打开快捷回复）",
    chars: "{n} 个字符", maxChars: "{n} / {max} 个字符", segments: "{n} 条短信（{encoding}）",
    windowOpen: "回复窗口开放至 {time}", repliesLeft: "还可回复 {n} 条", optedOut: "客户已在此渠道退订",
    mailSubject: "主题：{subject}", cc: "抄送", invalidCc: "抄送地址不是有效的邮箱",
    tooLong: "超出 {channel} 的长度：{n} / {max} 个字符", refused: "{channel} 会拒绝：{reason}",
    sendFailed: "未发送：{reason}", sent: "已发送", draftSaved: "草稿已保存", canned: "快捷回复", noCanned: "没有快捷回复。",
    assist: "智能辅助", suggestions: "知识库", botDraft: "机器人草稿", insert: "插入", noSuggestions: "暂无建议。",
    handoff: "转人工", actions: "操作", assign: "分配给我", claimNext: "领取下一个", transfer: "转接",
    transferTo: "转接给", snooze: "稍后提醒 1 小时", pending: "待客户回复", resolve: "解决", reopen: "重新打开",
    labels: "标签", addLabel: "添加标签", followUp: "跟进", setFollowUp: "设置跟进", ticket: "工单",
    ticketFields: "工单字段", save: "保存", createTicket: "创建工单", otherReplying: "{names} 正在回复…",
    otherViewing: "{names} 正在查看", overwriteWarning: "{names} 也在回复。仍要发送吗？",
    keyboard: "键盘快捷键", keyNext: "下一个会话", keyPrev: "上一个会话", keyReply: "回复",
    keyNote: "备注", keyResolve: "解决", keyCanned: "快捷回复", keyHelp: "本帮助", keySend: "在输入框中发送",
    close: "关闭", queue: "队列", teamName: "组", waitingCount: "等待中", longestWait: "最长等待", estimate: "预计",
    presence: "状态", load: "负载", role: "角色", online: "在线", away: "离开", offline: "离线",
    noBreaches: "没有超时工单。", target: "目标", due: "到期", remaining: "剩余 {time}", overdue: "超时 {time}",
    paused: "已暂停", met: "已达成", intent: "意图", sentiment: "情绪",
    bot: "机器人", agent: "客服", system: "系统", customerRole: "客户", attachment: "附件",
    statusSent: "已发送", statusDelivered: "已送达", statusRead: "已读", statusFailed: "发送失败", statusPending: "发送中",
    error: "出错了：{reason}", forbidden: "没有权限。", loading: "加载中…",
    skip: "跳到会话",
    reports: "报表", range: "时间范围", today: "今天", days7: "最近 7 天", days30: "最近 30 天", days90: "最近 90 天",
    businessTime: "工作时间", updatedAt: "更新于 {time}", messagesIn: "收到消息", messagesOut: "发出消息",
    firstResponseMedian: "首次响应（中位数）", resolutionMedian: "解决时长（中位数）", containment: "机器人独立解决率",
    slaMet: "SLA 达成率", slaTargetsMet: "达成", csat: "满意度", backlogNow: "当前积压", groupBy: "分组", dimension_channel: "渠道", dimension_queue: "队列", dimension_team: "组",
    dimension_intent: "意图", volumeBy: "工作量（按{dimension}）",
    conversationsByDay: "每日新会话", day: "日期", firstResponseBy: "首次响应时间（按{dimension}）",
    firstResponseBusinessBy: "首次响应时间（按{dimension}，工作时间）", average: "平均", allGroups: "全部",
    percentileNote: "共 {n} 次首次响应；百分位数精确到直方图分桶。",
    botBy: "机器人会话（按{dimension}）", contained: "独立解决", handedOff: "转人工", inProgress: "机器人处理中",
    containmentNote: "独立解决 {contained}，转人工 {handoff}；机器人回答 {answers} 次。",
    slaByDay: "每日 SLA 达成与超时", csatByDay: "每日满意度回复",
    csatNote: "{surveys} 份调查的回复率 {rate}；平均分 {score}。", goodAnswers: "满意（4–5）", otherAnswers: "其他",
    backlogByChannel: "各渠道当前积压", backlogBy: "当前积压（按{dimension}）", backlog_bot: "机器人处理中", backlog_queued: "排队中", backlog_open: "处理中",
    backlog_pending: "待客户回复", backlog_snoozed: "稍后提醒", agentsReport: "客服", replies: "回复",
    firstResponses: "首次响应", avgFirstResponse: "平均首次响应", resolved: "已解决", openNow: "当前处理",
    occupancy: "占用率（在线时）", occupancyNow: "当前占用率", noneGroup: "（无）", figures: "数据", noData: "此范围内没有数据。",
    notifications: "通知", noNotifications: "暂无通知。",
  },
};

const STORAGE_KEY = "tributary.language";

function pick() {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (stored && STRINGS[stored]) return stored;
  const browser = (navigator.languages?.[0] || navigator.language || "en").toLowerCase();
  return browser.startsWith("zh") ? "zh" : "en";
}

let current = pick();

/** The language shown now: "en" or "zh". */
export function language() {
  return current;
}

/** Switches the language and remembers the choice. */
export function setLanguage(code) {
  if (!STRINGS[code]) return;
  current = code;
  localStorage.setItem(STORAGE_KEY, code);
  document.documentElement.lang = code === "zh" ? "zh-CN" : "en";
}

/** The string `key` in the current language, with `{name}` filled from `values`. */
export function t(key, values = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

/** Every key, for the test that both languages have all of them. */
export const keys = { en: Object.keys(STRINGS.en), zh: Object.keys(STRINGS.zh) };
