import { Suspense, useEffect } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { FeatureGate } from './components/FeatureGate.tsx';
import { SessionGate } from './components/SessionGate.tsx';
import { PageLoading } from './components/Status.tsx';
import { pageId, SECTIONS } from './nav.ts';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';

/**
 * Routes: /login outside the session, every section inside the shell. The wrapper carries the
 * stable `.portal-app` class and a `data-page` attribute operators can target in custom CSS, and
 * each navigation fires a `portal:navigate` event for operator scripts (analytics, chat widgets).
 */
export function App() {
  const { pathname } = useLocation();
  const page = pageId(pathname);

  useEffect(() => {
    window.dispatchEvent(new CustomEvent('portal:navigate', { detail: { path: pathname, page } }));
  }, [pathname, page]);

  return (
    <div className="portal-app" data-page={page}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route element={<SessionGate />}>
          {SECTIONS.map((section) => (
            <Route
              key={section.path}
              path={section.path}
              element={
                <Suspense fallback={<PageLoading label={`Loading ${section.label}…`} />}>
                  <FeatureGate section={section} />
                </Suspense>
              }
            />
          ))}
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </div>
  );
}
