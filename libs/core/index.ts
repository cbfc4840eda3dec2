export * from './ids/workflow-ids.js';
