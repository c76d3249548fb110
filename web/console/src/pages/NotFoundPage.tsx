import { Button, Title } from '@mantine/core';
import { Link } from 'react-router';
import { Empty } from '../components/States.tsx';
import { useTitle } from '../hooks.ts';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <>
      <Title order={1}>Page not found</Title>
      <Empty
        title="There is nothing at this address"
        description="The link may be old, or the item was deleted."
        action={
          <Button component={Link} to="/domains">
            Go to domains
          </Button>
        }
      />
    </>
  );
}
