import { Anchor, Badge, Stack, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../components/States.tsx';
import { formatDate } from '../format.ts';
import { useListParams, useTitle } from '../hooks.ts';
import { roundingText, useRateCard } from '../rateCards.ts';
import { DirectionBadge } from './RateCardsPage.tsx';
import { ImportRatesPanel } from './ratecards/ImportRatesPanel.tsx';
import { RevisionsSection } from './ratecards/RevisionsSection.tsx';

export function RateCardPage() {
  const { id = '' } = useParams();
  const q = useRateCard(id);
  useTitle(q.data?.name ?? 'Rate card');
  const params = useListParams(['revision', 'q'] as const);

  const back = (
    <Anchor component={Link} to="/rate-cards" size="sm" mb="xs" display="inline-block">
      ← All rate cards
    </Anchor>
  );
  if (q.isPending) return <LoadingState label="Loading rate card…" />;
  if (q.isError) {
    return (
      <Stack>
        {back}
        <Title order={1} size="h2">
          Rate card unavailable
        </Title>
        <ErrorState error={q.error} title="Could not load this rate card" onRetry={() => void q.refetch()} />
      </Stack>
    );
  }
  const card = q.data;
  return (
    <>
      {back}
      <PageHeader
        title={card.name}
        badges={
          <>
            <Badge variant="light" color="gray">
              {card.currency}
            </Badge>
            <DirectionBadge direction={card.direction} />
          </>
        }
        subtitle={`Rates per minute in ${card.currency} · charges to ${roundingText(card)} · created ${formatDate(card.created_at)}`}
      />
      <Stack gap="lg">
        <ImportRatesPanel
          card={card}
          onImported={(revisionId) => params.set({ revision: revisionId, q: '' })}
        />
        <RevisionsSection card={card} params={params} />
      </Stack>
    </>
  );
}
