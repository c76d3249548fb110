/** The sticky footer of an edit form: unsaved-changes note, Discard and Save changes. */
import { Button, Group, Text } from '@mantine/core';

export function SaveBar({
  dirty,
  saving,
  onSave,
  onDiscard,
  count,
  invalid = false,
}: {
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
  count?: number;
  /** Blocks saving while an input holds an invalid value. */
  invalid?: boolean;
}) {
  return (
    <div className="sticky-save">
      <Group justify="space-between" gap="sm">
        <Text size="sm" c={dirty ? undefined : 'dimmed'} aria-live="polite">
          {dirty
            ? `Unsaved changes${count ? ` (${count} ${count === 1 ? 'setting' : 'settings'})` : ''}`
            : 'No unsaved changes'}
        </Text>
        <Group gap="sm">
          {dirty && (
            <Button variant="default" onClick={onDiscard} disabled={saving}>
              Discard
            </Button>
          )}
          <Button onClick={onSave} disabled={!dirty || invalid} loading={saving}>
            Save changes
          </Button>
        </Group>
      </Group>
    </div>
  );
}
