/**
 * Mantine's Modal with a <div> header: its default <header> counts as a second "banner" landmark
 * inside the dialog (axe: landmark-no-duplicate-banner).
 */
import { type MantineSize, Modal } from '@mantine/core';
import type { ReactNode } from 'react';

const divHeader = { component: 'div' } as object;

export function AppModal({
  opened,
  onClose,
  title,
  size = 'md',
  closeOnClickOutside = true,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: ReactNode;
  size?: MantineSize | number | string;
  closeOnClickOutside?: boolean;
  children: ReactNode;
}) {
  return (
    <Modal.Root
      opened={opened}
      onClose={onClose}
      size={size}
      closeOnClickOutside={closeOnClickOutside}
      centered={false}
    >
      <Modal.Overlay />
      <Modal.Content>
        <Modal.Header {...divHeader}>
          <Modal.Title fw={650} fz="lg">
            {title}
          </Modal.Title>
          <Modal.CloseButton aria-label="Close" />
        </Modal.Header>
        <Modal.Body>{children}</Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
}
