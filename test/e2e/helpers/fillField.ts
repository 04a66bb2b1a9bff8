/**
 * Fill a field whose first value arrives from the back end (a file dialog's folder, the run dialog's
 * namespace once the kubeconfig's contexts are known). Playwright's fill selects the text, then
 * inserts: a value arriving between the two is kept and the text appended to it ("defaultteam-a").
 * A person types slower than that; the test fills again until the field holds exactly the text.
 */
import { expect } from '@playwright/test';
import type { Locator } from '@playwright/test';

export async function fillField(field: Locator, value: string): Promise<void> {
  await expect(async () => {
    await field.fill(value);
    await expect(field).toHaveValue(value, { timeout: 300 });
  }).toPass({ timeout: 10_000 });
}
