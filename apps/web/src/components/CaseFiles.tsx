import { Anchor, FileInput, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';
import { useFormat } from '../format';

type Attachment = Schemas['CaseAttachmentViewDto'] | Schemas['PartnerCaseAttachmentDto'];

/**
 * The files sent with one case message, each a download link (the API answers them as attachments,
 * never inline). `base` is the case's attachments path: /cases/{id}/attachments or the partner's.
 */
export function CaseFiles({ files, base }: { files: Attachment[]; base: string }) {
  const f = useFormat();
  if (!files.length) return null;
  return (
    <Group gap="md" mt={4} data-testid="case-files">
      {files.map((a) => (
        <Text size="sm" key={a.id}>
          <Anchor href={`${base}/${a.id}`} download={a.filename}>
            {a.filename}
          </Anchor>{' '}
          <Text span size="xs" c="gray.7">
            ({f.bytes(a.size)})
          </Text>
        </Text>
      ))}
    </Group>
  );
}

/** The file picker beside a case message (one file; the API checks its type and size). */
export function AttachInput({ value, onChange }: { value: File | null; onChange: (f: File | null) => void }) {
  const { t } = useTranslation();
  return (
    <FileInput
      label={t('cases.attachFile')}
      description={t('cases.attachHelp')}
      placeholder={t('cases.noFile')}
      // Mantine's placeholder grey is under 4.5:1 on white (axe): the secondary text colour instead.
      styles={{ placeholder: { color: 'var(--mantine-color-gray-7)' } }}
      value={value}
      onChange={onChange}
      clearable
      accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.tif,.tiff,.heic,.docx,.xlsx,.odt,.ods,.txt,.csv,.edi,.x12,.json,.xml"
      w={320}
    />
  );
}

/** The multipart body of an upload: the file and the text fields beside it. */
export function uploadForm(file: File, fields: Record<string, string | undefined>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v) form.append(k, v);
  form.append('file', file);
  return form;
}
