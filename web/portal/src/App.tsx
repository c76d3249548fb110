import { lazy, Suspense, useEffect } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { FeatureGate } from './components/FeatureGate.tsx';
import { SessionGate } from './components/SessionGate.tsx';
import { PageLoading } from './components/Status.tsx';
import { pageId, SECTIONS } from './nav.ts';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';

const ForgotPasswordPage = lazy(() => import('./pages/security/ForgotPasswordPage.tsx'));
const SetPasswordPage = lazy(() => import('./pages/security/SetPasswordPage.tsx'));
const ImpersonatePage = lazy(() => import('./pages/security/ImpersonatePage.tsx'));
const SignupPage = lazy(() => import('./pages/signup/SignupPage.tsx'));
const VerifyPage = lazy(() => import('./pages/signup/VerifyPage.tsx'));

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
        <Route
          path="/forgot-password"
          element={
            <Suspense fallback={<PageLoading />}>
              <ForgotPasswordPage />
            </Suspense>
          }
        />
        {(['reset', 'invite'] as const).map((mode) => (
          <Route
            key={mode}
            path={mode === 'reset' ? '/reset-password' : '/set-password'}
            element={
              <Suspense fallback={<PageLoading />}>
                <SetPasswordPage mode={mode} />
              </Suspense>
            }
          />
        ))}
        <Route
          path="/impersonate"
          element={
            <Suspense fallback={<PageLoading />}>
              <ImpersonatePage />
            </Suspense>
          }
        />
        <Route
          path="/signup"
          element={
            <Suspense fallback={<PageLoading />}>
              <SignupPage />
            </Suspense>
          }
        />
        <Route
          path="/signup/verify"
          element={
            <Suspense fallback={<PageLoading />}>
              <VerifyPage />
            </Suspense>
          }
        />
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
