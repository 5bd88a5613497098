// The frame: sign-in until a token is saved, then the navigation and the page the hash names.
import { useState } from "react";
import { AuditPage } from "./pages/AuditPage.tsx";
import { DriftPage } from "./pages/DriftPage.tsx";
import { SignIn } from "./pages/SignIn.tsx";
import { StackFormPage } from "./pages/StackFormPage.tsx";
import { StackPage } from "./pages/StackPage.tsx";
import { StacksPage } from "./pages/StacksPage.tsx";
import { type Route, useRoute } from "./router.ts";
import { forgetToken, savedToken } from "./session.ts";

export function App() {
  const [signedIn, setSignedIn] = useState(() => savedToken() !== null);
  const route = useRoute();
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  const signOut = () => {
    forgetToken();
    setSignedIn(false);
  };
  return (
    <div className="frame">
      <header className="topbar">
        <a className="brand" href="#/stacks">
          Gantry
        </a>
        <nav>
          <NavLink route={route} page="stacks" href="#/stacks" label="Stacks" />
          <NavLink route={route} page="new-stack" href="#/stacks/new" label="New stack" />
          <NavLink route={route} page="drift" href="#/drift" label="Drift" />
          <NavLink route={route} page="audit" href="#/audit" label="Audit log" />
        </nav>
        <button type="button" className="link" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>
        <Page route={route} />
      </main>
    </div>
  );
}

function NavLink(props: { route: Route; page: Route["page"]; href: string; label: string }) {
  const active = props.route.page === props.page;
  return (
    <a href={props.href} className={active ? "active" : undefined} aria-current={active ? "page" : undefined}>
      {props.label}
    </a>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "stacks":
      return <StacksPage />;
    case "new-stack":
      return <StackFormPage />;
    case "edit-stack":
      return <StackFormPage key={route.id} stackId={route.id} />;
    case "stack":
      return <StackPage key={route.id} id={route.id} />;
    case "drift":
      return <DriftPage />;
    case "audit":
      return <AuditPage />;
  }
}
