import {
  Alert,
  Box,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiFailure, api } from '../../../ui/api.ts';
import { AlertIcon } from '../components/Icons.tsx';
import { errorMessage, useTitle } from '../hooks.ts';

export function LoginPage() {
  useTitle('Sign in');
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/auth/login', { email: email.trim(), password });
      await qc.invalidateQueries({ queryKey: ['me'] });
      if (!qc.getQueryData(['me'])) {
        setError(
          'You were signed in, but no session was kept. Check that this browser accepts cookies here.',
        );
        setBusy(false);
      }
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) {
        setError(err.body.message || 'The email or password is not correct.');
      } else {
        setError(errorMessage(err));
      }
      setBusy(false);
    }
  };

  return (
    <Box component="main" bg="var(--mantine-color-gray-0)" mih="100vh">
      <Center mih="100vh" p="md">
        <Paper withBorder shadow="sm" radius="lg" p="xl" w={400} maw="100%">
          <form onSubmit={(e) => void submit(e)} noValidate>
            <Stack gap="md">
              <div>
                <Title order={1} size="h2">
                  Control Panel
                </Title>
                <Text c="dimmed" size="sm" mt={4}>
                  Sign in with your operator account.
                </Text>
              </div>
              {error && (
                <Alert color="red" variant="light" icon={<AlertIcon />} title="Sign-in failed">
                  {error}
                </Alert>
              )}
              <TextInput
                label="Email"
                type="email"
                autoComplete="username"
                required
                autoFocus
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              <PasswordInput
                label="Password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <Button type="submit" loading={busy} disabled={!email || !password} fullWidth>
                Sign in
              </Button>
            </Stack>
          </form>
        </Paper>
      </Center>
    </Box>
  );
}
