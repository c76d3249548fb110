import { Card, MultiSelect, SimpleGrid, Stack, Switch, TextInput, Title } from '@mantine/core';
import { CURRENCIES } from '../../../../../common/currencies.ts';
import { CompanySelect } from '../../components/CompanySelect.tsx';
import type { DomainDraft, UpdateDraft } from './draft.ts';

export interface TabProps {
  draft: DomainDraft;
  update: UpdateDraft;
  errorFor: (key: string) => string | undefined;
}

export function BasicTab({ draft, update, errorFor }: TabProps) {
  const signup = draft.customer_signup || draft.carrier_signup;
  const currencyWarning =
    signup && draft.currencies.length === 0 ? 'Pick at least one currency while sign-up is on.' : undefined;
  return (
    <Stack gap="lg">
      <Card withBorder radius="md" p="lg">
        <Title order={2} size="h4" mb="md">
          Identity
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <TextInput
            label="Domain"
            description="Changing it re-runs the DNS and certificate checks."
            value={draft.domain}
            onChange={(e) => update({ domain: e.currentTarget.value })}
            error={errorFor('domain')}
            spellCheck={false}
            autoComplete="off"
            required
          />
          <TextInput
            label="Brand name"
            description="Shown in the portal header, page titles and emails."
            value={draft.brand_name}
            onChange={(e) => update({ brand_name: e.currentTarget.value })}
            error={errorFor('brand_name')}
            required
          />
        </SimpleGrid>
      </Card>
      <Card withBorder radius="md" p="lg">
        <Title order={2} size="h4" mb="md">
          Sign-up
        </Title>
        <Stack gap="md">
          <Switch
            label="Customer sign-up"
            description="Shows a sign-up form for new customers on this portal."
            checked={draft.customer_signup}
            onChange={(e) => update({ customer_signup: e.currentTarget.checked })}
            error={errorFor('customer_signup')}
          />
          <Switch
            label="Carrier sign-up"
            description="Shows a sign-up form for new carriers (created pending approval)."
            checked={draft.carrier_signup}
            onChange={(e) => update({ carrier_signup: e.currentTarget.checked })}
            error={errorFor('carrier_signup')}
          />
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <MultiSelect
              label="Currencies"
              description="Offered at sign-up (ISO 4217)."
              placeholder={draft.currencies.length ? undefined : 'Pick currencies'}
              data={[...CURRENCIES]}
              value={draft.currencies}
              onChange={(v) => update({ currencies: v })}
              searchable
              clearable
              hidePickedOptions
              error={errorFor('currencies') ?? currencyWarning}
              clearButtonProps={{ 'aria-label': 'Clear currencies' }}
              maxDropdownHeight={260}
            />
            <CompanySelect
              label="Template customer"
              description="New sign-ups copy this customer's limits, routes, Show/Hide lists and welcome credit."
              type="customer"
              value={draft.template_customer_id}
              onChange={(id) => update({ template_customer_id: id })}
              error={errorFor('template_customer_id')}
              placeholder="None — search customers"
            />
          </SimpleGrid>
        </Stack>
      </Card>
    </Stack>
  );
}
