/** A company's routes: which rate card prices its calls, per tech prefix, with channel/CPS limits. */
import { Anchor, Badge, Code, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { CompanyDto } from '../../../../../common/api.ts';
import { CrudTable, LimitCell } from '../../components/CrudTable.tsx';
import { companyPath } from '../../hooks.ts';
import { type RouteDto, useRoutes } from '../../rateCards.ts';
import { ConfirmDeleteModal } from './ConfirmDeleteModal.tsx';
import { RouteModal } from './RouteModals.tsx';

export function RoutesTab({ company }: { company: CompanyDto }) {
  const routes = useRoutes(company.id);
  const name = (r: RouteDto) => (r.tech_prefix ? `tech prefix ${r.tech_prefix}` : 'no tech prefix');

  return (
    <CrudTable<RouteDto>
      title="Routes"
      description={
        <>
          The rate cards that price calls of {company.name} (in {company.currency}). A call uses the route
          with its tech prefix.
        </>
      }
      addLabel="Add route"
      query={routes}
      tableLabel="Routes"
      minWidth={860}
      empty={{
        title: 'No routes yet',
        description: `Add a route with a rate card in ${company.currency} so calls of this company can be priced.`,
      }}
      columns={[
        {
          header: 'Tech prefix',
          cell: (r) =>
            r.tech_prefix ? (
              <Code>{r.tech_prefix}</Code>
            ) : (
              <Text size="sm" c="dimmed" component="span">
                (none)
              </Text>
            ),
        },
        {
          header: 'Rate card',
          cell: (r) => (
            <Anchor component={Link} to={`/rate-cards/${r.rate_card_id}`} size="sm" fw={600}>
              {r.rate_card_name ?? 'Rate card'}
            </Anchor>
          ),
        },
        { header: 'Channels', align: 'right', cell: (r) => <LimitCell value={r.channels} /> },
        { header: 'CPS', align: 'right', cell: (r) => <LimitCell value={r.cps} /> },
        {
          header: 'Max duration',
          align: 'right',
          cell: (r) => <LimitCell value={r.max_duration} unit=" s" none="No limit" />,
        },
        {
          header: 'Enabled',
          cell: (r) => (
            <Badge
              variant="light"
              color={r.enabled ? 'green' : 'gray'}
              styles={{ label: { overflow: 'visible' } }}
            >
              {r.enabled ? 'enabled' : 'disabled'}
            </Badge>
          ),
        },
        {
          header: 'Public note',
          td: { maw: 260 },
          cell: (r) =>
            r.public_note ? (
              <Text size="sm" lineClamp={2} title={r.public_note}>
                {r.public_note}
              </Text>
            ) : (
              <Text size="sm" c="dimmed" component="span">
                —
              </Text>
            ),
        },
      ]}
      rowName={(r) => `route with ${name(r)}`}
      editor={(route, close) => (
        <RouteModal key={route?.id ?? 'new'} company={company} route={route} opened onClose={close} />
      )}
      remover={(route, opened, close) => (
        <ConfirmDeleteModal
          opened={opened}
          title="Delete route?"
          url={route ? `${companyPath(company.id)}/routes/${encodeURIComponent(route.id)}` : null}
          invalidate={[['companies', 'detail', company.id, 'routes']]}
          confirmLabel="Delete route"
          done="Route deleted"
          doneMessage={`${company.name} no longer has this route.`}
          onClose={close}
        >
          {company.name} loses the route{' '}
          {route?.tech_prefix ? (
            <>
              with tech prefix <Code>{route.tech_prefix}</Code>
            </>
          ) : (
            'without a tech prefix'
          )}{' '}
          on rate card <strong>{route?.rate_card_name ?? 'unknown'}</strong>. New calls can no longer use it.
          This cannot be undone; to pause it instead, turn it off with Edit.
        </ConfirmDeleteModal>
      )}
    />
  );
}
