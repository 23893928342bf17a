/**
 * Selection (docs/method.md#selection): turns the score matrix into a {@link io.capxai.selection.SurgeryPlan}
 * that says which standalone channel(s) replace each CLIP channel, and summarises it
 * ({@link io.capxai.selection.SelectionSummary}). Start at {@link io.capxai.selection.Selection}.
 */
package io.capxai.selection;
