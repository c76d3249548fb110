import '@mantine/core/styles.css';
import './console.css';
import { type CSSVariablesResolver, createTheme, MantineProvider } from '@mantine/core';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiFailure } from '../../ui/api.ts';
import { App } from './App.tsx';
import { NotificationsProvider } from './components/Notifications.tsx';

const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 8 keeps white-on-primary text and links (also on hovered rows) above the WCAG AA 4.5:1 contrast ratio.
  primaryShade: { light: 8, dark: 5 },
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    Table: { defaultProps: { verticalSpacing: 'sm', highlightOnHover: true } },
    Badge: { styles: { root: { textTransform: 'none' } } },
    // Closed dropdowns leave the DOM, so a select's label names only its input (not a hidden listbox).
    Combobox: { defaultProps: { keepMounted: false } },
    // Labels stay exactly their text (no "*" in the accessible name); required inputs keep `required`.
    TextInput: { defaultProps: { withAsterisk: false } },
    Textarea: { defaultProps: { withAsterisk: false } },
    NumberInput: { defaultProps: { withAsterisk: false } },
    Select: { defaultProps: { withAsterisk: false } },
    MultiSelect: { defaultProps: { withAsterisk: false } },
    Autocomplete: { defaultProps: { withAsterisk: false } },
    PasswordInput: {
      defaultProps: {
        withAsterisk: false,
        // Not "Show password": keeps getByLabel('Password') pointing at the input only.
        visibilityToggleButtonProps: { 'aria-label': 'Show typed characters' },
      },
    },
  },
});

// Mantine's light palette puts several texts under WCAG AA 4.5:1 (dimmed grey, light-variant badge and
// alert text, red/green/orange outlines and fills). Darker shades keep every pair at 4.5:1 or more.
const DARK_TEXT: Record<string, string> = {
  red: '#b02525',
  green: '#1e6b2f',
  orange: '#9a3b0b',
  yellow: '#7a5200',
  teal: '#0b6157',
  blue: '#1a5490',
  indigo: '#2f3f9e',
  grape: '#7b2590',
  cyan: '#0b5a6b',
  gray: '#343a40',
};
const cssVariablesResolver: CSSVariablesResolver = () => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': DARK_TEXT.red ?? '',
    '--mantine-color-red-filled': DARK_TEXT.red ?? '',
    '--mantine-color-red-filled-hover': '#8f1d1d',
    '--mantine-color-green-filled': DARK_TEXT.green ?? '',
    '--mantine-color-green-filled-hover': '#175425',
  };
  for (const [c, hex] of Object.entries(DARK_TEXT)) {
    light[`--mantine-color-${c}-light-color`] = hex;
    light[`--mantine-color-${c}-outline`] = hex;
    light[`--mantine-color-${c}-text`] = hex;
  }
  return { variables: {}, light, dark: {} };
};

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (err, query) => {
      // A session that expired mid-use: re-check who we are, which shows the sign-in page.
      if (err instanceof ApiFailure && err.status === 401 && query.queryKey[0] !== 'me') {
        void queryClient.invalidateQueries({ queryKey: ['me'] });
      }
    },
  }),
  mutationCache: new MutationCache({
    onError: (err) => {
      if (err instanceof ApiFailure && err.status === 401)
        void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => !(err instanceof ApiFailure && err.status < 500) && count < 2,
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={queryClient}>
        <NotificationsProvider>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </NotificationsProvider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
