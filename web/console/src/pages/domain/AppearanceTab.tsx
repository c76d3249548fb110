import {
  Alert,
  Button,
  Card,
  FileButton,
  Group,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { api } from '../../../../ui/api.ts';
import { AlertIcon, UploadIcon } from '../../components/Icons.tsx';
import { useNotify } from '../../components/Notifications.tsx';
import { formatBytes } from '../../format.ts';
import { CONSOLE_API, errorMessage, useApiMutation, useFiles } from '../../hooks.ts';
import type { FileDto } from '../../types.ts';
import type { TabProps } from './BasicTab.tsx';

const MAX_BYTES = 512 * 1024;
const MAX_WIDTH = 350;
const TYPES = ['image/png', 'image/jpeg', 'image/gif'];

/**
 * The pixel width of an image file, read in the browser before upload (the server checks again).
 * createImageBitmap decodes without an <img> (blob: URLs are outside the console's img-src CSP).
 */
async function imageWidth(file: File): Promise<number | null> {
  try {
    const bitmap = await createImageBitmap(file);
    const { width } = bitmap;
    bitmap.close();
    return width;
  } catch {
    return null;
  }
}

export function AppearanceTab({ draft, update, errorFor }: TabProps) {
  const notify = useNotify();
  const files = useFiles();
  const [uploadError, setUploadError] = useState<string | null>(null);
  const upload = useApiMutation(
    (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api.post<FileDto>(`${CONSOLE_API}/files`, form);
    },
    () => [['files']],
  );

  const onFile = async (file: File | null) => {
    setUploadError(null);
    if (!file) return;
    if (!TYPES.includes(file.type)) return setUploadError('Choose a JPG, PNG or GIF image.');
    if (file.size > MAX_BYTES)
      return setUploadError(`The file is ${formatBytes(file.size)}; the limit is 512 KB.`);
    const width = await imageWidth(file);
    if (width !== null && width > MAX_WIDTH)
      return setUploadError(`The image is ${width} px wide; the limit is ${MAX_WIDTH} px.`);
    upload.mutate(file, {
      onSuccess: (f) => {
        update({ logo_file_id: f.id });
        notify({ title: 'Logo uploaded', message: 'Save changes to show it on the portal.' });
      },
      onError: (err) => setUploadError(errorMessage(err)),
    });
  };

  const items = files.data?.items ?? [];
  const current = items.find((f) => f.id === draft.logo_file_id);
  const logoError = errorFor('logo_file_id');

  return (
    <Stack gap="lg">
      <Card withBorder radius="md" p="lg">
        <Title order={2} size="h4">
          Logo
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          JPG, PNG or GIF, at most {MAX_WIDTH} px wide and 512 KB. Shown in the portal header and emails.
        </Text>
        <div className="logo-preview">
          {current ? (
            <img src={current.url} alt={`Current logo: ${current.filename}`} />
          ) : draft.logo_file_id ? (
            <Text size="sm" c="dimmed">
              {files.isPending ? 'Loading logo…' : 'The selected logo file is not in your uploads.'}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              No logo: the portal shows the brand name as text.
            </Text>
          )}
        </div>
        <Group mt="md" gap="sm">
          <FileButton onChange={(f) => void onFile(f)} accept={TYPES.join(',')}>
            {(props) => (
              <Button {...props} leftSection={<UploadIcon size={16} />} loading={upload.isPending}>
                Upload logo
              </Button>
            )}
          </FileButton>
          {draft.logo_file_id && (
            <Button variant="default" onClick={() => update({ logo_file_id: null })}>
              Remove logo
            </Button>
          )}
        </Group>
        {(uploadError || logoError) && (
          <Alert mt="md" color="red" variant="light" icon={<AlertIcon />} title="Logo not accepted">
            {uploadError ?? logoError}
          </Alert>
        )}
        <FilePicker
          items={items}
          loading={files.isPending}
          error={files.error}
          selected={draft.logo_file_id}
          onPick={(id) => update({ logo_file_id: id })}
        />
      </Card>
      <Card withBorder radius="md" p="lg">
        <Title order={2} size="h4" mb="md">
          Footer and custom code
        </Title>
        <Stack gap="md">
          <Textarea
            label="Footer"
            description="Plain text at the bottom of every portal page."
            autosize
            minRows={2}
            maxRows={6}
            value={draft.footer}
            onChange={(e) => update({ footer: e.currentTarget.value })}
            error={errorFor('footer')}
          />
          <Textarea
            label="Custom CSS"
            description="Appended after the portal theme. Use the portal's stable class names and CSS variables."
            className="mono"
            autosize
            minRows={5}
            maxRows={20}
            spellCheck={false}
            value={draft.custom_css}
            onChange={(e) => update({ custom_css: e.currentTarget.value })}
            error={errorFor('custom_css')}
          />
          <Textarea
            label="Custom JavaScript"
            description="Raw JavaScript, or a single https:// URL of a script to load. It only runs on this brand's portal pages, never in the Control Panel."
            className="mono"
            autosize
            minRows={5}
            maxRows={20}
            spellCheck={false}
            value={draft.custom_js}
            onChange={(e) => update({ custom_js: e.currentTarget.value })}
            error={errorFor('custom_js')}
          />
        </Stack>
      </Card>
    </Stack>
  );
}

function FilePicker({
  items,
  loading,
  error,
  selected,
  onPick,
}: {
  items: FileDto[];
  loading: boolean;
  error: unknown;
  selected: string | null;
  onPick: (id: string) => void;
}) {
  return (
    <>
      <Title order={3} size="h5" mt="lg" mb="xs">
        Previously uploaded
      </Title>
      {loading ? (
        <Text size="sm" c="dimmed">
          Loading files…
        </Text>
      ) : error ? (
        <Text size="sm" c="red.9">
          Could not load your files: {errorMessage(error)}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No images uploaded yet.
        </Text>
      ) : (
        <SimpleGrid
          cols={{ base: 2, xs: 3, md: 5 }}
          spacing="sm"
          role="group"
          aria-label="Previously uploaded images"
        >
          {items.map((f) => (
            <button
              key={f.id}
              type="button"
              className="file-choice"
              aria-pressed={f.id === selected}
              onClick={() => onPick(f.id)}
              title={`Use ${f.filename} as the logo`}
            >
              <img src={f.url} alt="" loading="lazy" />
              <Text size="xs" fw={500} truncate maw="100%" component="span">
                {f.filename}
              </Text>
              <Text size="xs" c="dimmed" component="span">
                {f.width}×{f.height} · {formatBytes(f.size)}
              </Text>
            </button>
          ))}
        </SimpleGrid>
      )}
    </>
  );
}
