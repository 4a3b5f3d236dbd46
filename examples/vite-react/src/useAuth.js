import { useEffect, useState } from "react";

const EVENTS = ["login", "token_refreshed", "session_expired", "logout", "error"];

// The client's session as React state, and its events as a list; the listeners go when the
// component unmounts (auth.on returns the function that removes one).
export function useAuth(auth) {
  const [session, setSession] = useState(auth.session);
  const [events, setEvents] = useState([]);
  useEffect(() => {
    const offs = EVENTS.map((type) =>
      auth.on(type, (e) => {
        setSession(auth.session);
        setEvents((seen) => [...seen, e.error ? `${type}: ${e.error.code}` : type]);
      }),
    );
    return () => offs.forEach((off) => off());
  }, [auth]);
  return { session, events };
}
