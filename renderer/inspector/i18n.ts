/** English and Korean text of unsaved field drafts: the Problems entry, the line under the field, the Esc revert. */

export const draftsEn = {
  problemNode: 'Node "{{node}}", {{label}}: not saved. {{message}} The step still uses {{saved}}; correct the field, or press Esc in it to go back to that.',
  problemPipeline: 'Pipeline settings, {{label}}: not saved. {{message}} The pipeline still uses {{saved}}; correct the field, or press Esc in it to go back to that.',
  savedEmpty: 'no value (the default)',
  inline: 'Not saved: still {{saved}}. Esc goes back to it.',
  inlineEmpty: 'Not saved: still no value (the default). Esc goes back to it.',
  reverted: '{{label}}: “{{text}}” discarded, back to the saved value {{saved}}.',
  revertedEmpty: '{{label}}: “{{text}}” discarded, back to no value (the default).',
  savedWithout_one: 'Saved {{name}}. {{count}} field holds text that cannot be saved: the file has its previous value (see Problems).',
  savedWithout_other: 'Saved {{name}}. {{count}} fields hold text that cannot be saved: the file has their previous values (see Problems).',
};

export const draftsKo: typeof draftsEn = {
  problemNode: '노드 "{{node}}"의 {{label}}: 저장되지 않았습니다. {{message}} 단계는 여전히 {{saved}} 값을 씁니다. 필드를 고치거나 필드에서 Esc를 눌러 그 값으로 되돌리세요.',
  problemPipeline: '파이프라인 설정의 {{label}}: 저장되지 않았습니다. {{message}} 파이프라인은 여전히 {{saved}} 값을 씁니다. 필드를 고치거나 필드에서 Esc를 눌러 그 값으로 되돌리세요.',
  savedEmpty: '값 없음(기본값)',
  inline: '저장되지 않음: 아직 {{saved}}. Esc를 누르면 그 값으로 되돌립니다.',
  inlineEmpty: '저장되지 않음: 아직 값 없음(기본값). Esc를 누르면 그 값으로 되돌립니다.',
  reverted: '{{label}}: “{{text}}”을(를) 버리고 저장된 값 {{saved}}(으)로 되돌렸습니다.',
  revertedEmpty: '{{label}}: “{{text}}”을(를) 버리고 값 없음(기본값)으로 되돌렸습니다.',
  savedWithout_one: '{{name}}을(를) 저장했습니다. 저장할 수 없는 값이 든 필드 {{count}}개는 파일에 이전 값으로 남아 있습니다 (문제 목록 참고).',
  savedWithout_other: '{{name}}을(를) 저장했습니다. 저장할 수 없는 값이 든 필드 {{count}}개는 파일에 이전 값으로 남아 있습니다 (문제 목록 참고).',
};
