import { Box, Button, Checkbox, Fieldset, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import {
  FEATURE_GROUPS,
  FEATURES,
  type FeatureDef,
  type FeatureGroup,
} from '../../../../../common/features.ts';
import type { TabProps } from './BasicTab.tsx';

const ALL: readonly FeatureDef[] = FEATURES;
const byId = new Map(ALL.map((f) => [f.id, f]));

/** The group's features in registry order, each modifier placed right under its parent. */
function ordered(group: FeatureGroup): { f: FeatureDef; child: boolean }[] {
  const inGroup = ALL.filter((f) => f.group === group);
  const ids = new Set(inGroup.map((f) => f.id));
  const out: { f: FeatureDef; child: boolean }[] = [];
  for (const f of inGroup) {
    if (f.parent && ids.has(f.parent)) continue;
    out.push({ f, child: false });
    for (const c of inGroup) if (c.parent === f.id) out.push({ f: c, child: true });
  }
  return out;
}

export function FeaturesTab({ draft, update, errorFor }: TabProps) {
  const on = ALL.filter((f) => draft.features[f.id]).length;
  const setMany = (ids: string[], value: boolean) =>
    update({ features: { ...draft.features, ...Object.fromEntries(ids.map((id) => [id, value])) } });
  const error = errorFor('features');

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" maw={760}>
        Defaults for every company on this domain: {on} of {ALL.length} features on. A company&rsquo;s Show
        list turns a feature on and its Hide list turns it off; indented options only take effect while their
        parent feature is on.
      </Text>
      {error && (
        <Text c="red.9" size="sm" role="alert">
          {error}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        {FEATURE_GROUPS.map((group) => {
          const items = ordered(group);
          if (items.length === 0) return null;
          const ids = items.map((i) => i.f.id);
          const count = ids.filter((id) => draft.features[id]).length;
          return (
            <Fieldset key={group} legend={group} radius="md" variant="default">
              <Group justify="space-between" mb="sm" gap="xs">
                <Text size="xs" c="dimmed">
                  {count} of {ids.length} on
                </Text>
                <Group gap={4}>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => setMany(ids, true)}
                    disabled={count === ids.length}
                  >
                    All on
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => setMany(ids, false)}
                    disabled={count === 0}
                  >
                    All off
                  </Button>
                </Group>
              </Group>
              <Stack gap="sm">
                {items.map(({ f, child }) => {
                  const parent = f.parent ? byId.get(f.parent) : undefined;
                  const parentOff = parent ? !draft.features[parent.id] : false;
                  return (
                    <Box
                      key={f.id}
                      pl={child ? 'xl' : 0}
                      style={
                        child
                          ? { borderLeft: '2px solid var(--mantine-color-default-border)', marginLeft: 9 }
                          : undefined
                      }
                    >
                      <Checkbox
                        label={f.label}
                        description={
                          parentOff && parent ? (
                            <>
                              {f.description} Needs &ldquo;{parent.label}&rdquo; on.
                            </>
                          ) : (
                            f.description
                          )
                        }
                        checked={draft.features[f.id] === true}
                        onChange={(e) => setMany([f.id], e.currentTarget.checked)}
                      />
                    </Box>
                  );
                })}
              </Stack>
            </Fieldset>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}
