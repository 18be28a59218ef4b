import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { onSessionEnded } from "../api/api-client.ts";
import { type CurrentUser, fetchCurrentUser, signIn, signOut } from "../api/auth-api.ts";
import { loadPurpose, savePurpose } from "../api/purpose-of-use.ts";

export interface Session {
  /** undefined while the first `auth/me` is in flight; null when nobody is signed in. */
  readonly user: CurrentUser | null | undefined;
  readonly loadError: Error | undefined;
  /** Why the sign-in page is shown again, when the session ended by itself (signed out in another tab, expired). */
  readonly endedNotice: string | undefined;
  readonly purpose: string;
  setPurpose(purpose: string): void;
  /** Whether the user's roles permit an action; used to leave out what they may not see. */
  may(action: string): boolean;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** Holds who is signed in and their stated purpose of use for the whole app. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<CurrentUser | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<Error | undefined>(undefined);
  const [purpose, setPurposeState] = useState(loadPurpose);
  const [endedNotice, setEndedNotice] = useState<string | undefined>(undefined);
  const signedIn = useRef(false);
  signedIn.current = Boolean(user);

  const refresh = useCallback(async () => {
    try {
      setUser((await fetchCurrentUser()) ?? null);
      setLoadError(undefined);
    } catch (error) {
      setUser(null);
      setLoadError(error as Error);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Any call answered 401 means the session is gone: back to the sign-in page (the address stays,
  // so signing in again returns to the same page), with the reason, and no stale user in the bar.
  useEffect(
    () =>
      onSessionEnded(() => {
        if (signedIn.current) setEndedNotice("Your session has ended. Sign in again.");
        setUser(null);
        savePurpose("");
        setPurposeState("");
      }),
    [],
  );

  const session = useMemo<Session>(
    () => ({
      user,
      loadError,
      endedNotice,
      purpose,
      setPurpose(next) {
        savePurpose(next);
        setPurposeState(next);
      },
      may: (action) => user?.actions.has(action) ?? false,
      async signIn(username, password) {
        await signIn(username, password);
        await refresh();
        setEndedNotice(undefined);
      },
      async signOut() {
        try {
          await signOut();
        } finally {
          savePurpose("");
          setPurposeState("");
          setEndedNotice(undefined);
          setUser(null);
        }
      },
    }),
    [user, loadError, endedNotice, purpose, refresh],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
