declare module '#app' {
  interface PageMeta {
    /** Reachable while signed out. */
    public?: boolean;
    /** Only for signed-out users (login, register); signed-in users are sent home. */
    guestOnly?: boolean;
  }
}

export {};
