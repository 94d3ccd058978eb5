// Settings of the local Temporal dev server that the sandbox starts.
export const devServer = {
  namespace: 'default',
  // Dynamic config: search attributes visible at once after registration (tests list runs right
  // after the server starts), and a generous limit on concurrent activity task polls.
  dynamicConfig: {
    'system.forceSearchAttributesCacheRefreshOnRead': true,
    'frontend.namespaceRPS.visibility': 1000,
  } as Record<string, string | number | boolean>,
};
