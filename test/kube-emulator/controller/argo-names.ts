/** Argo's naming: node ids and (v2, Argo 3.4+) pod names both hash the node name with 32-bit FNV-1a. */

export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function nodeId(workflowName: string, nodeName: string): string {
  return nodeName === workflowName ? workflowName : `${workflowName}-${fnv32a(nodeName)}`;
}

const MAX_NAME = 253;
const HASH_ROOM = 11;

/** `<workflow>-<template>-<fnv(nodeName)>`, the prefix trimmed as Argo trims it. */
export function podName(workflowName: string, nodeName: string, templateName: string): string {
  let prefix = templateName ? `${workflowName}-${templateName}` : workflowName;
  if (prefix.length > MAX_NAME - HASH_ROOM) prefix = prefix.slice(0, MAX_NAME - HASH_ROOM);
  return `${prefix}-${fnv32a(nodeName)}`;
}
