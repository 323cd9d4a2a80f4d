import { ApiClient } from './client.js'

/** The app's one API client; the session survives a reload of the tab, not its closing. */
export const api = new ApiClient({ storage: window.sessionStorage })
