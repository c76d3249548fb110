/** Query shapes of the report endpoints (portal and console). Query strings are coerced by the validator. */
import { Type } from 'typebox';

const Instant = Type.String({ maxLength: 40, description: 'ISO 8601 time with a zone (Z or ±hh:mm)' });
const Uuid = Type.String({ format: 'uuid' });
const Tz = Type.String({ maxLength: 64, description: 'IANA time zone of the reader, e.g. Europe/London' });

const cdrFilters = {
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  connected: Type.Optional(Type.Boolean()),
  number: Type.Optional(
    Type.String({ maxLength: 40, description: 'digits found in the source or destination' }),
  ),
  dest_name: Type.Optional(Type.String({ maxLength: 100 })),
  sip_code: Type.Optional(Type.Integer({ minimum: 100, maximum: 699 })),
  fields: Type.Optional(Type.String({ maxLength: 1000, description: 'comma-separated field ids' })),
};

const consoleScope = { company_id: Type.Optional(Uuid), carrier_id: Type.Optional(Uuid) };

export const PortalCdrQuery = Type.Object({
  ...cdrFilters,
  cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export const PortalCdrCsvQuery = Type.Object(cdrFilters);
export const ConsoleCdrQuery = Type.Object({ ...consoleScope, ...PortalCdrQuery.properties });
export const ConsoleCdrCsvQuery = Type.Object({ ...consoleScope, ...cdrFilters });

export const PortalBreakoutQuery = Type.Object({
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  tz: Type.Optional(Tz),
  group: Type.Optional(Type.Union([Type.Literal('destination'), Type.Literal('day'), Type.Literal('hour')])),
});
export const ConsoleBreakoutQuery = Type.Object({
  ...PortalBreakoutQuery.properties,
  company_id: Type.Optional(Uuid),
  group: Type.Optional(
    Type.Union(['destination', 'day', 'hour', 'company', 'carrier'].map((g) => Type.Literal(g))),
  ),
});

const Period = Type.Union([Type.Literal('hourly'), Type.Literal('daily'), Type.Literal('monthly')]);
export const PortalSummaryQuery = Type.Object({ period: Type.Optional(Period), tz: Type.Optional(Tz) });
export const ConsoleSummaryQuery = Type.Object({
  ...PortalSummaryQuery.properties,
  company_id: Type.Optional(Uuid),
});

export const Count = Type.Object({ count: Type.Integer() });
