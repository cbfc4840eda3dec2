export { remediateGateway, reportQuery } from './remediate-gateway.js';
