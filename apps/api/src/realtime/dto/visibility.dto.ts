import { IsBoolean } from 'class-validator';

/** `presence:visibility`: whether the tab is visible. */
export class VisibilityDto {
  @IsBoolean()
  visible: boolean;
}
