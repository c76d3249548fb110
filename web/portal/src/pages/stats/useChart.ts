import { useQuery } from '@tanstack/react-query';
import type { ChartDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { type ChartRangeValue, rangeQuery } from '../../components/charts/RangePicker.tsx';
import type { ChartDef } from './charts.ts';

/** One chart's data; preset ranges refresh every minute so "last hour" keeps moving. */
export function useChart(def: ChartDef, range: ChartRangeValue) {
  return useQuery({
    queryKey: ['portal', 'chart', def.endpoint, range],
    queryFn: () => api.get<ChartDto>(`/api/v1/portal/${def.endpoint}?${rangeQuery(range)}`),
    refetchInterval: range.preset === 'custom' ? false : 60_000,
    placeholderData: (prev) => prev,
  });
}
