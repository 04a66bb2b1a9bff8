import { defineTargetScenarios } from './scenarios.ts';

defineTargetScenarios('argo');
