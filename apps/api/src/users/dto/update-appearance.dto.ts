import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import {
  ACCENT_COLOR_PATTERN,
  LOCALES,
  THEMES,
  WALLPAPERS,
  type Locale,
  type Theme,
  type UpdateAppearanceRequest,
  type Wallpaper,
} from '@app/contracts';

export class UpdateAppearanceDto implements UpdateAppearanceRequest {
  @ApiPropertyOptional({ enum: THEMES })
  @IsOptional() @IsIn(THEMES)
  theme?: Theme;

  @ApiPropertyOptional({ example: '#2563eb' })
  @IsOptional() @Matches(ACCENT_COLOR_PATTERN, { message: 'accentColor must be a #rrggbb colour' })
  accentColor?: string;

  @ApiPropertyOptional({ enum: WALLPAPERS })
  @IsOptional() @IsIn(WALLPAPERS)
  wallpaper?: Wallpaper;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional() @IsIn(LOCALES)
  locale?: Locale;
}
