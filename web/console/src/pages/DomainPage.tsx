import { Alert, Anchor, Button, Group, Stack, Tabs, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { DomainDto } from '../../../../common/api.ts';
import { api } from '../../../ui/api.ts';
import { AppModal } from '../components/AppModal.tsx';
import { StateBadge } from '../components/Badges.tsx';
import { AlertIcon, ExternalIcon } from '../components/Icons.tsx';
import { useNotify } from '../components/Notifications.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { SaveBar } from '../components/SaveBar.tsx';
import { ErrorState, LoadingState } from '../components/States.tsx';
import { CONSOLE_API, errorField, errorMessage, useApiMutation, useDomain, useTitle } from '../hooks.ts';
import { AppearanceTab } from './domain/AppearanceTab.tsx';
import { BasicTab } from './domain/BasicTab.tsx';
import { DeploymentTab, type DomainDeployment } from './domain/DeploymentTab.tsx';
import {
  type DomainDraft,
  type DomainTab,
  diffDraft,
  fieldErrorFor,
  tabOfField,
  toDraft,
} from './domain/draft.ts';
import { FeaturesTab } from './domain/FeaturesTab.tsx';
import { ReportsTab } from './domain/ReportsTab.tsx';
import { SmtpTab } from './domain/SmtpTab.tsx';

const TABS: { value: DomainTab; label: string }[] = [
  { value: 'basic', label: 'Basic' },
  { value: 'deployment', label: 'DNS & certificate' },
  { value: 'features', label: 'Features' },
  { value: 'reports', label: 'Reports' },
  { value: 'appearance', label: 'Appearance' },
  { value: 'email', label: 'Email (SMTP)' },
];

/** The portal's address; *.localhost keeps this page's protocol and dev port. */
export function portalUrl(domain: string): string {
  if (domain === 'localhost' || domain.endsWith('.localhost')) {
    const port = window.location.port ? `:${window.location.port}` : '';
    return `${window.location.protocol}//${domain}${port}`;
  }
  return `https://${domain}`;
}

export function DomainPage() {
  const { id = '' } = useParams();
  const q = useDomain(id);
  useTitle(q.data?.domain ?? 'Domain');
  if (q.isPending) return <LoadingState label="Loading domain…" />;
  if (q.isError) {
    return (
      <Stack>
        <Anchor component={Link} to="/domains" size="sm">
          ← All domains
        </Anchor>
        <Title order={1} size="h2">
          Domain unavailable
        </Title>
        <ErrorState error={q.error} title="Could not load this domain" onRetry={() => void q.refetch()} />
      </Stack>
    );
  }
  return <DomainEditor key={q.data.id} saved={q.data} />;
}

function DomainEditor({ saved }: { saved: DomainDto }) {
  const qc = useQueryClient();
  const notify = useNotify();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const tab = (TABS.some((t) => t.value === sp.get('tab')) ? sp.get('tab') : 'basic') as DomainTab;
  const setTab = (t: string | null) => setSp(t && t !== 'basic' ? { tab: t } : {}, { replace: true });

  const [draft, setDraft] = useState<DomainDraft>(() => toDraft(saved));
  const [saveError, setSaveError] = useState<{ field: string | null; message: string } | null>(null);
  const changes = useMemo(() => diffDraft(saved, draft), [saved, draft]);
  const dirty = Object.keys(changes).length > 0;

  // A background refresh (e.g. the deployment state moved on) updates the form unless it is being edited.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reacts to a new saved version only
  useEffect(() => {
    if (!dirty) setDraft(toDraft(saved));
  }, [saved.updated_at]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const update = (patch: Partial<DomainDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const updateSmtp = (patch: Partial<DomainDraft['smtp']>) =>
    setDraft((d) => ({ ...d, smtp: { ...d.smtp, ...patch } }));

  const path = `${CONSOLE_API}/domains/${encodeURIComponent(saved.id)}`;
  const save = useApiMutation(
    (body: Record<string, unknown>) => api.patch<DomainDto>(path, body),
    () => [
      ['domains', 'list'],
      ['domains', 'all'],
    ],
  );
  const remove = useApiMutation(
    () => api.del<void>(path),
    () => [
      ['domains', 'list'],
      ['domains', 'all'],
    ],
  );
  const [confirming, confirm] = useDisclosure(false);

  const onSave = () => {
    setSaveError(null);
    save.mutate(changes, {
      onSuccess: (d) => {
        qc.setQueryData(['domains', 'detail', d.id], d);
        setDraft(toDraft(d));
        notify({ title: 'Changes saved', message: `${d.domain} was updated.` });
      },
      onError: (err) => {
        const field = errorField(err);
        setSaveError({ field, message: errorMessage(err) });
        const t = field ? tabOfField(field) : null;
        if (t) setTab(t);
      },
    });
  };

  const onDelete = () =>
    remove.mutate(undefined, {
      onSuccess: () => {
        qc.removeQueries({ queryKey: ['domains', 'detail', saved.id] });
        notify({ title: 'Domain deleted', message: `${saved.domain} no longer serves a portal.` });
        void navigate('/domains');
      },
    });

  const errorFor = fieldErrorFor(saveError);
  const unplacedError = saveError && (!saveError.field || !tabOfField(saveError.field));
  const tabProps = { draft, update, errorFor };

  return (
    <>
      <Anchor component={Link} to="/domains" size="sm" mb="xs" display="inline-block">
        ← All domains
      </Anchor>
      <PageHeader
        title={saved.domain}
        badges={<StateBadge state={saved.state} />}
        subtitle={saved.brand_name}
        actions={
          <>
            <Button
              component="a"
              href={portalUrl(saved.domain)}
              target="_blank"
              rel="noopener noreferrer"
              variant="default"
              rightSection={<ExternalIcon size={16} />}
            >
              Open portal<VisuallyHidden> (opens in a new tab)</VisuallyHidden>
            </Button>
            <Button color="red" variant="outline" onClick={confirm.open}>
              Delete domain
            </Button>
          </>
        }
      />
      {(saved.state !== 'active' || saved.reason) && tab !== 'deployment' && (
        <Alert
          mb="md"
          variant="light"
          color={saved.state === 'failed' ? 'red' : 'orange'}
          icon={<AlertIcon />}
          title="Deployment"
        >
          {(saved as DomainDto & Partial<DomainDeployment>).next_step ?? saved.reason}{' '}
          <Anchor component="button" type="button" size="sm" onClick={() => setTab('deployment')}>
            See DNS & certificate
          </Anchor>
        </Alert>
      )}
      {unplacedError && (
        <Alert mb="md" color="red" variant="light" icon={<AlertIcon />} title="Could not save the changes">
          {saveError.message}
        </Alert>
      )}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="lg">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="basic">
          <BasicTab {...tabProps} />
        </Tabs.Panel>
        <Tabs.Panel value="deployment">
          <DeploymentTab saved={saved as DomainDto & Partial<DomainDeployment>} />
        </Tabs.Panel>
        <Tabs.Panel value="features">
          <FeaturesTab {...tabProps} />
        </Tabs.Panel>
        <Tabs.Panel value="reports">
          <ReportsTab {...tabProps} />
        </Tabs.Panel>
        <Tabs.Panel value="appearance">
          <AppearanceTab {...tabProps} />
        </Tabs.Panel>
        <Tabs.Panel value="email">
          <SmtpTab {...tabProps} saved={saved} updateSmtp={updateSmtp} />
        </Tabs.Panel>
      </Tabs>
      <SaveBar
        dirty={dirty}
        saving={save.isPending}
        onSave={onSave}
        onDiscard={() => {
          setDraft(toDraft(saved));
          setSaveError(null);
        }}
        count={Object.keys(changes).length}
      />
      <AppModal opened={confirming} onClose={confirm.close} title="Delete this domain?">
        <Stack>
          <Text size="sm">
            <strong>{saved.domain}</strong> stops serving its portal at once and its certificate keys are
            deleted. Companies assigned to it fall back to any of your domains. This cannot be undone.
          </Text>
          {remove.isError && (
            <Alert color="red" variant="light" icon={<AlertIcon />}>
              {errorMessage(remove.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={confirm.close}>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={onDelete}>
              Delete permanently
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </>
  );
}
