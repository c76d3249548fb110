import { useState } from 'react';
import type { PublicBrand } from '../../../../common/api.ts';

interface BrandMarkProps {
  /** undefined while loading (a placeholder shows), null when it could not be loaded. */
  brand: PublicBrand | undefined | null;
  className?: string;
}

/**
 * The operator's logo (alt = brand name) and brand name, always as text. When the logo shows, the
 * name is hidden from screen readers so it is not announced twice (the logo's alt already says it).
 */
export function BrandMark({ brand, className = '' }: BrandMarkProps) {
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  if (brand === null) return null;
  if (!brand) {
    return (
      <span className={`portal-brand portal-brand--loading ${className}`.trim()}>
        <span className="portal-skeleton portal-skeleton--brand" />
      </span>
    );
  }
  const logo = brand.logo_url && brand.logo_url !== failedUrl ? brand.logo_url : null;
  return (
    <span className={`portal-brand ${logo ? 'portal-brand--with-logo' : ''} ${className}`.trim()}>
      {logo ? (
        <img className="portal-logo" src={logo} alt={brand.brand_name} onError={() => setFailedUrl(logo)} />
      ) : null}
      <span className="portal-brand-name" aria-hidden={logo ? true : undefined}>
        {brand.brand_name}
      </span>
    </span>
  );
}
