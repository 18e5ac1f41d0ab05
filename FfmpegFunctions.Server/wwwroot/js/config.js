// Where the console finds its backend. The Server serves these files with the defaults: same origin,
// live updates from its SignalR hub at /hubs/compositions.
// Against the Azure Functions app, host these files anywhere and set
//   apiBase: 'https://<app>.azurewebsites.net', realtime: 'functions'
// (the app's CORS must allow the console's origin): live updates then come from Azure SignalR
// Service through the app's /api/negotiate and /api/compositions/{id}/subscribe functions.
export default Object.freeze({ apiBase: '', realtime: 'hub' });
