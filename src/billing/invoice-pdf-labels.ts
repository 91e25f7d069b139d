import type { InvoiceAnswer, InvoiceLine } from '../shared/contract/billing.js';

/** The languages an invoice PDF is written in. */
export const invoicePdfLanguages = ['en', 'zh'] as const;
export type InvoicePdfLanguage = (typeof invoicePdfLanguages)[number];

/** Every word an invoice PDF prints, in one language: the data the renderer reads (no branches on language). */
export interface InvoicePdfLabels {
  title: string;
  draftTitle: string;
  voidStamp: string;
  number: string;
  draftNumber: string;
  date: string;
  notIssued: string;
  period: string;
  periodTo: string;
  status: string;
  currency: string;
  customer: string;
  billTo: string;
  resellerFor: string;
  lines: string;
  description: string;
  kind: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  noLines: string;
  subtotal: string;
  tax: string;
  total: string;
  credits: string;
  due: string;
  paidOn: string;
  voidReason: string;
  footer: (currency: string) => string;
  page: (n: number, of: number) => string;
  statuses: Record<InvoiceAnswer['status'], string>;
  kinds: Record<InvoiceLine['kind'], string>;
  tokenKinds: Record<NonNullable<InvoiceLine['tokenKind']>, string>;
  quantityUnits: { tokens: string; requests: string; days: string };
  pricePer: { per_month: string; per_1m_tokens: string };
  /** A line's description; English prints the invoice's own, Chinese words it from the line's fields. */
  describe: (line: InvoiceLine) => string;
}

const day = (at: string | null) => at?.slice(0, 10) ?? '';

/** A fee period's last day: `periodEnd` is exclusive (the next period's start). */
const lastDay = (end: string | null) => (end ? new Date(Date.parse(end) - 1).toISOString().slice(0, 10) : '');

const en: InvoicePdfLabels = {
  title: 'Invoice',
  draftTitle: 'Invoice (draft)',
  voidStamp: 'VOID',
  number: 'Invoice number',
  draftNumber: 'not yet numbered (draft)',
  date: 'Invoice date',
  notIssued: 'not issued',
  period: 'Billing period',
  periodTo: 'to',
  status: 'Status',
  currency: 'Currency',
  customer: 'Customer',
  billTo: 'Bill to',
  resellerFor: 'reseller, for its customer',
  lines: 'Lines',
  description: 'Description',
  kind: 'Kind',
  quantity: 'Quantity',
  unitPrice: 'Unit price',
  amount: 'Amount',
  noLines: 'No charges this period.',
  subtotal: 'Subtotal',
  tax: 'Tax',
  total: 'Total',
  credits: 'Prepaid credits applied',
  due: 'Amount due',
  paidOn: 'Paid on',
  voidReason: 'Voided',
  footer: (c) => `Amounts in ${c}, exact to the micro-unit (0.000001), as the usage ledger holds them.`,
  page: (n, of) => `Page ${n} of ${of}`,
  statuses: { draft: 'draft', final: 'final', paid: 'paid', void: 'void' },
  kinds: { fee: 'Fee', usage: 'Usage', rounding: 'Rounding', included: 'Included', discount: 'Discount', adjustment: 'Adjustment' },
  tokenKinds: { input: 'input', output: 'output', training: 'training' },
  quantityUnits: { tokens: 'tokens', requests: 'requests', days: 'days' },
  pricePer: { per_month: '/ month', per_1m_tokens: '/ 1M tokens' },
  describe: (line) => line.description,
};

const zh: InvoicePdfLabels = {
  title: '发票',
  draftTitle: '发票（草稿）',
  voidStamp: '已作废',
  number: '发票编号',
  draftNumber: '草稿，尚未编号',
  date: '开票日期',
  notIssued: '未开具',
  period: '计费期间',
  periodTo: '至',
  status: '状态',
  currency: '币种',
  customer: '客户',
  billTo: '收票方',
  resellerFor: '经销商，代其客户',
  lines: '明细',
  description: '项目',
  kind: '类型',
  quantity: '数量',
  unitPrice: '单价',
  amount: '金额',
  noLines: '本期无费用。',
  subtotal: '小计',
  tax: '税额',
  total: '合计',
  credits: '预付额度抵扣',
  due: '应付金额',
  paidOn: '支付日期',
  voidReason: '作废原因',
  footer: (c) => `金额单位：${c}，与用量账本一致，精确到百万分之一（0.000001）。`,
  page: (n, of) => `第 ${n} 页，共 ${of} 页`,
  statuses: { draft: '草稿', final: '已开具', paid: '已支付', void: '已作废' },
  kinds: { fee: '月费', usage: '用量', rounding: '取整', included: '套餐内含', discount: '折扣', adjustment: '调整' },
  tokenKinds: { input: '输入', output: '输出', training: '训练' },
  quantityUnits: { tokens: 'tokens', requests: '次请求', days: '天' },
  pricePer: { per_month: '/ 月', per_1m_tokens: '/ 百万 tokens' },
  describe: (line) => zhDescriptions[line.kind](line),
};

/** Chinese descriptions by line kind, from the line's fields (the English one is the invoice's own text). */
const zhDescriptions: Record<InvoiceLine['kind'], (line: InvoiceLine) => string> = {
  fee: (l) => (l.periodStart && l.periodEnd ? `套餐月费（${day(l.periodStart)} 至 ${lastDay(l.periodEnd)}）` : '套餐月费'),
  usage: (l) => `${l.model ?? ''}：${zh.tokenKinds[l.tokenKind ?? 'input']} tokens`,
  rounding: () => '按请求计价的取整差额（每次请求向上取整到百万分之一）',
  included: (l) => `套餐内含 tokens（${l.quantity.toLocaleString('en-US')}）`,
  discount: (l) => `经销商折扣${l.agreementId ? `（协议 ${l.agreementId}）` : ''}`,
  adjustment: (l) => `${l.month} 的迟到用量${l.model ? `：${l.model}` : ''}`,
};

/** The labels of each language. */
export const invoicePdfLabels: Readonly<Record<InvoicePdfLanguage, InvoicePdfLabels>> = { en, zh };
