// The expiries an admin can pick for an invite (shared by the form and the server action).
export const INVITE_EXPIRY_DAYS = [1, 7, 30] as const;
