import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { AppRouter } from "./app/app-router.tsx";
import { SessionProvider } from "./auth/session-context.tsx";
import "./design/design.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <SessionProvider>
      <AppRouter />
    </SessionProvider>
  </StrictMode>,
);
