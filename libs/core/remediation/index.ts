export * from './remediation-report.js';
