/**
 * The audit report: {@link io.capxai.report.AuditReport} (plain records) written by
 * {@link io.capxai.report.ReportWriter} as {@code report.json} and a self-contained
 * {@code report.html}.
 */
package io.capxai.report;
