import { Client, Connection } from '@temporalio/client';
import { type Stack } from '#devstack';

export const connectTemporalClient = async (stack: Stack): Promise<{ client: Client; close: () => Promise<void> }> => {
  const connection = await Connection.connect(stack.temporal.connection);
  return { client: new Client({ connection, namespace: stack.temporal.namespace }), close: () => connection.close() };
};
