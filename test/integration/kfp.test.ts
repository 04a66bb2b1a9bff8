import { defineTargetScenarios } from './scenarios.ts';

defineTargetScenarios('kfp');
