/** Run > Schedules…: a weekly local schedule of the saved pipeline, its errors named, paused, in Korean, deleted. */
import { expect, rpc, test, workDir } from './fixtures.ts';
import { fillField } from './helpers/fillField.ts';

test('schedule the saved pipeline weekly (Sunday 02:00 Seoul), only when the data changed; pause and delete it', async ({ app, request }) => {
  await app.keyboard.press('Control+n');
  await app.getByRole('button', { name: /Korean LLM \(smoke\)/ }).click();
  await app.getByRole('button', { name: 'Schedules…' }).click();
  let dialog = app.getByRole('dialog', { name: 'Schedules' });
  await expect(dialog.getByRole('note')).toContainText('only while Pipewright is open');
  await expect(dialog).toContainText('Save the pipeline first');
  await expect(dialog.getByRole('button', { name: 'Add schedule' })).toBeDisabled();
  await app.keyboard.press('Escape');
  await app.keyboard.press('Control+s');
  const save = app.getByRole('dialog', { name: 'Save the pipeline as' });
  await fillField(save.getByLabel('Folder', { exact: true }), workDir());
  await save.getByLabel('Folder', { exact: true }).press('Enter');
  await save.getByLabel('File name').fill('scheduled-smoke');
  await save.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(save).toHaveCount(0);

  await app.getByRole('button', { name: 'Schedules…' }).click();
  dialog = app.getByRole('dialog', { name: 'Schedules' });
  await expect(dialog.getByLabel('When', { exact: true })).toHaveValue('weekly');
  await expect(dialog.getByLabel('Cron (minute hour day month weekday)')).toHaveValue('0 2 * * 0');
  await dialog.getByLabel('Time zone').fill('Asia/Seol');
  await expect(dialog.getByRole('alert')).toHaveText('time zone "Asia/Seol" is not an IANA time zone name; did you mean "Asia/Seoul"?');
  await expect(dialog.getByRole('button', { name: 'Add schedule' })).toBeDisabled();
  await dialog.getByLabel('Time zone').fill('Asia/Seoul');
  await dialog.getByLabel('Cron (minute hour day month weekday)').fill('0 2 * * SUNDAY');
  await expect(dialog.getByRole('alert')).toContainText('day of week "SUNDAY" is not a number');
  await dialog.getByLabel('When', { exact: true }).selectOption('weekly');
  await dialog.getByLabel('Only when the data changed since the last successful run').check();
  await dialog.getByRole('button', { name: 'Add schedule' }).click();
  // The next run is in the schedule's zone and names it (this computer's zone may differ).
  await expect(dialog.getByRole('status')).toHaveText(/^Added schedule korean-llm-smoke-schedule; next run .*2:00 AM \(Asia\/Seoul\)$/);
  const row = dialog.locator('[data-schedule="korean-llm-smoke-schedule"]');
  await expect(row).toContainText('0 2 * * 0');
  await expect(row).toContainText('Asia/Seoul');
  await expect(row).toContainText('active');
  // Sunday 02:00 in Seoul.
  await expect(row.locator('.schedule-times')).toContainText(/Next: .*2:00 AM \(Asia\/Seoul\)/);
  await row.getByRole('button', { name: 'Pause' }).click();
  await expect(row).toContainText('paused');
  await expect(row.locator('.schedule-times')).toContainText('Next: none while paused');
  const listed = (await rpc(request, 'listSchedules')) as { schedules: { name: string; trigger: string; paused: boolean; timezone: string }[] };
  expect(listed.schedules.find((s) => s.name === 'korean-llm-smoke-schedule')).toMatchObject({ trigger: 'data-changed', paused: true, timezone: 'Asia/Seoul' });
  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  try {
    const ko = app.getByRole('dialog', { name: '일정' });
    await expect(ko.getByRole('note')).toContainText('Pipewright가 열려 있는 동안');
    await expect(ko.locator('[data-schedule="korean-llm-smoke-schedule"]')).toContainText('일시 중지됨');
    await expect(ko.locator('[data-schedule="korean-llm-smoke-schedule"] .schedule-times')).toContainText('다음: 일시 중지 중에는 없음');
    // The message of the add follows the language too, the zone still named.
    await expect(ko.getByRole('status')).toHaveText(/^일정 korean-llm-smoke-schedule을\(를\) 추가했습니다\. 다음 실행 .*2:00 \(Asia\/Seoul\)$/);
    await app.screenshot({ path: 'test-results/screenshots/schedules-ko.png' });
  } finally {
    await rpc(request, 'updateSettings', [{ language: 'system' }]);
    await rpc(request, 'deleteSchedule', ['korean-llm-smoke-schedule']);
  }
});
